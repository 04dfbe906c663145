"""Recording a visit in a real browser, as the demo neurologist: four muscles, one row
fails validation and is corrected without retyping the others, then the visit list shows
the right total. The same form also works with scripts switched off."""

from __future__ import annotations

import re

import pytest

from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.catalog import ensure_treatment_catalogs
from treatments.demo import DEMO_PASSWORD, seed_people
from treatments.models import InjectionVisit

pytestmark = pytest.mark.browser

ROWS = (
    ("Sternocleidomastoid", "Left", "50", "2"),
    ("Splenius capitis", "Right", "45", "3"),
    ("Trapezius", "Right", "0", "2"),  # fails: units must be more than 0
    ("Levator scapulae", "Right", "30", "1"),
)


@pytest.fixture
def pat(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    ensure_treatment_catalogs()
    return Patient.objects.get(medical_record_number="DEMO-0001")


def fill_visit(page) -> None:
    page.select_option("#id_indication", label="Cervical dystonia")
    page.select_option("#id_product", label="Botox (onabotulinumtoxinA)")
    page.fill("#id_lot_number", "C7788AB")
    page.fill("#id_dilution_units_per_ml", "50")
    page.select_option("#id_guidance", label="EMG")


def fill_row(page, index: int, row: tuple[str, str, str, str]) -> None:
    muscle, side, units, points = row
    page.select_option(f"#id_sites-{index}-muscle", label=muscle)
    page.select_option(f"#id_sites-{index}-side", label=side)
    page.fill(f"#id_sites-{index}-units", units)
    page.fill(f"#id_sites-{index}-points", points)


def test_neurologist_records_a_visit_with_four_muscles(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/new/")
    fill_visit(page)
    fill_row(page, 0, ROWS[0])
    for index, row in enumerate(ROWS[1:], start=1):
        page.click("button[data-site-add]")  # added in the page, nothing submitted
        fill_row(page, index, row)
    assert page.locator("[data-site-row]").count() == 4
    assert page.inner_text("#visit-total") == "125 U Botox"  # the 0-unit row adds nothing

    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Nothing was saved" in page.inner_text("#error-summary")
    assert "Units must be more than 0" in page.inner_text("#error-summary")
    assert InjectionVisit.objects.count() == 0
    # every other row is still as typed
    for index, (_, _, units, _) in enumerate(ROWS):
        if index != 2:
            assert page.input_value(f"#id_sites-{index}-units") == units
    assert page.input_value("#id_lot_number") == "C7788AB"
    assert "is-invalid" in (page.get_attribute("#id_sites-2-units", "class") or "")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.fill("#id_sites-2-units", "40")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}/$"))
    assert page.inner_text("#visit-total") == "165 U Botox"

    page.goto(f"/patients/{pat.uuid}/visits/")
    assert page.inner_text("#visit-list td.visit-total") == "165 U Botox"
    visit = InjectionVisit.objects.get()
    assert visit.sites.count() == 4
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_rows_can_be_removed_in_the_page(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/new/")
    fill_visit(page)
    fill_row(page, 0, ROWS[0])
    page.click("button[data-site-add]")
    fill_row(page, 1, ROWS[1])
    page.click("button[data-site-add]")
    fill_row(page, 2, ROWS[3])
    page.click("#id_sites-1-muscle >> xpath=ancestor::tr//button[@data-site-remove]")
    assert page.locator("[data-site-row]").count() == 2
    assert page.input_value("#id_sites-1-units") == "30"  # renumbered, value kept
    assert page.input_value("input[name=sites-TOTAL_FORMS]") == "2"
    assert page.inner_text("#visit-total") == "80 U Botox"


def test_the_form_works_without_scripts(browser, live_server, pat):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "neurologist", DEMO_PASSWORD)
        page.goto(f"/patients/{pat.uuid}/visits/new/")
        fill_visit(page)
        fill_row(page, 0, ROWS[0])
        page.click("button[data-site-add]")  # submits; the server adds the row
        page.wait_for_load_state()
        assert page.locator("[data-site-row]").count() == 2
        assert page.input_value("#id_sites-0-units") == "50"
        fill_row(page, 1, ROWS[1])
        page.click("button[name=save]")
        page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}/$"))
        assert page.inner_text("#visit-total") == "95 U Botox"
    finally:
        context.close()
