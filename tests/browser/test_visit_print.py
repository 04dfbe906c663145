"""A neurologist prints an injection visit for the paper record or a referral: the sheet
must say whose it is by two identifiers (name and date of birth, as every clinical
document does) and hold the visit, not the screen's menus and buttons."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patients.models import Patient
from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people, seed_treatments

pytestmark = pytest.mark.browser


@pytest.fixture
def pat(transactional_db) -> Patient:
    seed_people(timezone.localdate())
    seed_treatments(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0001")


def test_a_printed_visit_names_the_patient_by_name_and_birth_date(page, pat):
    visit = pat.injections.order_by("-date").first()
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/{visit.uuid}/")
    page.emulate_media(media="print")
    main = page.locator("main")
    assert pat.full_name in main.inner_text()
    born = f"born {pat.date_of_birth:%-d %B %Y}"
    assert page.get_by_text(born).first.is_visible()
    assert page.locator("#visit-sites").is_visible()
    assert page.locator("#visit-history").is_visible()
    # The screen's controls are not printed.
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("link", name="Correct this visit").is_visible()
    assert not page.get_by_role("link", name="Mark as entered in error").is_visible()
    assert not page.get_by_role(
        "navigation", name=f"Treatment records of {pat.full_name}"
    ).is_visible()
