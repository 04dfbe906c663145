"""Review of the treatment pages (review-neuro), in a real browser."""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.demo import DEMO_PASSWORD, seed_people, seed_treatments

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def pat(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    seed_treatments(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0001")


def test_a_patients_own_treatment_pages_on_a_phone_can_be_read_with_the_keyboard(
    browser, live_server, pat
):
    """The patient opens their own visit (sites with units, history), other treatments and
    ratings on a phone. The tables are wider than the screen and scroll inside their box;
    a scrolling box that takes no keyboard focus leaves the units column out of reach of a
    keyboard user (axe: scrollable-region-focusable, WCAG 2.1.1)."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    visit = pat.injections.order_by("-date").first()
    base = f"/patients/{pat.uuid}"
    sign_in(page, "patient", DEMO_PASSWORD)
    found = {}
    for path in (f"{base}/visits/{visit.uuid}/", f"{base}/treatments/", f"{base}/assessments/"):
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            found[path.removeprefix(base)] = describe(violations)
    context.close()
    assert found == {}
