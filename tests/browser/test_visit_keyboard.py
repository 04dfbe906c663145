"""Keyboard-only entry of a visit's muscle table, as a neurologist types it between two
injections: Enter after the units or the points of a row is "next", never "save the whole
visit". A visit saved with half its rows would have to be corrected (with a reason, kept
in its history) and would start follow-ups from an incomplete record."""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.browser.conftest import sign_in
from treatments.catalog import ensure_treatment_catalogs
from treatments.demo import DEMO_PASSWORD, seed_people
from treatments.models import InjectionVisit

pytestmark = pytest.mark.browser


@pytest.fixture
def pat(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    ensure_treatment_catalogs()
    return Patient.objects.get(medical_record_number="DEMO-0001")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_enter_in_the_muscle_table_moves_on_and_saves_nothing(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/new/")
    page.select_option("#id_indication", label="Cervical dystonia")
    page.select_option("#id_product", label="Botox (onabotulinumtoxinA)")
    page.fill("#id_lot_number", "C7788AB")
    page.fill("#id_dilution_units_per_ml", "50")
    page.select_option("#id_guidance", label="EMG")

    page.focus("#id_sites-0-muscle")
    page.keyboard.type("Sternocleidomastoid")
    page.keyboard.press("Tab")
    page.keyboard.type("Left")
    page.keyboard.press("Tab")
    page.keyboard.type("50")
    page.keyboard.press("Enter")  # next: the points of this row
    assert focused_id(page) == "id_sites-0-points"
    page.keyboard.type("2")
    page.keyboard.press("Enter")  # next: a new row, at its muscle
    assert page.locator("[data-site-row]").count() == 2
    assert focused_id(page) == "id_sites-1-muscle"
    assert "/visits/new/" in page.url
    assert InjectionVisit.objects.count() == 0

    page.keyboard.type("Splenius capitis")
    page.keyboard.press("Tab")
    page.keyboard.type("Right")
    page.keyboard.press("Tab")
    page.keyboard.type("45")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    assert page.inner_text("#visit-total") == "95 U Botox"
    page.click("button[name=save]")
    page.wait_for_load_state()
    visit = InjectionVisit.objects.get()
    assert sorted(str(s.units) for s in visit.sites.all()) == ["45.00", "50.00"]
