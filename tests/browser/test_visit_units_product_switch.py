"""Units copied by "start from the last visit" must not stay under another product.

A patient switched from Botox to Dysport: the neurologist opens the new-visit form (the
last product, Botox, is pre-selected), presses "Start from the last visit" (muscles,
sides, points and, for the same product, units are copied), then chooses Dysport. The
page already clears the copied dilution on that change; the copied Botox units must not
stay in the rows either, labelled and totalled as Dysport units (TIMELINE.md: units are
product-specific and never carried across products).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from patients.models import Patient
from tests.browser.conftest import sign_in
from tests.treatments.factories import visit_with_sites
from treatments.catalog import ensure_treatment_catalogs
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def pat(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    ensure_treatment_catalogs()
    patient = Patient.objects.get(medical_record_number="DEMO-0001")
    visit_with_sites(
        patient,
        date=timezone.localdate() - timedelta(days=90),
        dilution_units_per_ml=Decimal("50"),
        sites=(("sternocleidomastoid", "left", "45"), ("splenius-capitis", "right", "65")),
    )
    return patient


def test_choosing_another_product_after_start_from_last_clears_the_copied_units(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/new/")
    page.click("button[name=start_from_last]")
    page.wait_for_load_state()
    # Same product (Botox): the units were copied, as intended.
    assert page.input_value("#id_sites-0-units") == "65"
    assert page.inner_text("#visit-total") == "110 U Botox"

    page.select_option("#id_product", label="Dysport (abobotulinumtoxinA)")

    assert page.input_value("#id_dilution_units_per_ml") == ""  # already cleared today
    copied = [page.input_value(f"#id_sites-{i}-units") for i in range(2)]
    assert copied == ["", ""], f"Botox units left under Dysport: {copied}"
    assert page.inner_text("#visit-total") != "110 U Dysport"
    note = page.inner_text("#copied-units-note")
    assert "were Botox units and were cleared" in note

    # Back to Botox: the copied Botox units are Botox's own again.
    page.select_option("#id_product", label="Botox (onabotulinumtoxinA)")
    assert [page.input_value(f"#id_sites-{i}-units") for i in range(2)] == ["65", "45"]
    assert page.inner_text("#visit-total") == "110 U Botox"


def test_an_edited_copied_value_is_kept_and_the_server_asks_to_check(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/new/")
    page.click("button[name=start_from_last]")
    page.wait_for_load_state()
    page.fill("#id_sites-0-units", "70")  # typed while Botox was chosen
    page.select_option("#id_product", label="Dysport (abobotulinumtoxinA)")
    assert page.input_value("#id_sites-0-units") == "70"
    assert page.input_value("#id_sites-1-units") == ""
    page.fill("#id_sites-1-units", "120")
    page.fill("#id_dilution_units_per_ml", "200")
    page.fill("#id_lot_number", "D123")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "in Botox units" in page.inner_text("main")
    assert page.input_value("#id_sites-0-units") == "70"
