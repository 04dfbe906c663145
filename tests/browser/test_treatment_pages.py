"""Every treatment page of a demo patient passes axe-core at WCAG 2.1 AA, in a real browser."""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.demo import DEMO_PASSWORD, seed_people, seed_treatments

pytestmark = pytest.mark.browser


@pytest.fixture
def henrik(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    seed_treatments(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0003")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_treatment_pages_have_no_axe_violations(page, henrik, theme):
    """In both themes: Bootstrap's outline buttons are about 3:1 on the dark background
    unless clinic.css gives them the dark palette."""
    from clinic.models import User

    User.objects.filter(username__in=["neurologist", "staff"]).update(theme=theme)
    visit = henrik.injections.order_by("-date").first()
    rating = henrik.assessments.first()
    base = f"/patients/{henrik.uuid}"
    sign_in(page, "neurologist", DEMO_PASSWORD)
    pages = [
        f"{base}/visits/",
        f"{base}/visits/new/",
        f"{base}/visits/{visit.uuid}/",
        f"{base}/visits/{visit.uuid}/edit/",
        f"{base}/visits/{visit.uuid}/error/",
        f"{base}/treatments/",
        f"{base}/treatments/new/",
        f"{base}/assessments/",
        f"{base}/assessments/new/",
        f"{base}/assessments/{rating.uuid}/edit/",
    ]
    found = {}
    for path in pages:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            found[path] = describe(violations)
    page.context.clear_cookies()
    sign_in(page, "staff", DEMO_PASSWORD)
    for path in ["/follow-ups/", "/follow-ups/calendar/"]:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            found[path] = describe(violations)
    assert found == {}


def test_the_list_keeps_products_apart(page, henrik):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{henrik.uuid}/visits/")
    totals = page.locator("#visit-list td.visit-total").all_inner_texts()
    assert any(t.endswith("U Botox") for t in totals)
    assert any(t.endswith("U Dysport") for t in totals)
    assert all(t.endswith(("U Botox", "U Dysport")) for t in totals)


def test_the_scale_fieldsets_follow_the_chosen_scale(page, henrik):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{henrik.uuid}/assessments/new/")
    page.select_option("#id_scale", "bsdi")
    assert page.is_visible("fieldset[data-scale=bsdi]")
    assert not page.is_visible("fieldset[data-scale=twstrs]")
