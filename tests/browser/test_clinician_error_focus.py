"""After a failed save on a neurologist's form, the focus is on the list of what to correct
(the error summary), as on the patient's pages: a screen reader reads it out and the
keyboard starts from its links to the fields, instead of from the top of the page with
the errors unannounced somewhere below."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patients.models import Patient
from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def pat(transactional_db) -> Patient:
    seed_people(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0001")


def test_a_failed_save_puts_the_focus_on_the_error_summary(page, pat):
    sign_in(page, "neurologist", DEMO_PASSWORD)
    record = f"/patients/{pat.uuid}"
    found = {}
    for path in (
        f"{record}/visits/new/",
        f"{record}/assessments/new/",
        f"{record}/treatments/new/",
    ):
        page.goto(path)
        page.locator("main form[method=post] button[type=submit]:visible").last.click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible(), path
        found[path.removeprefix(record)] = page.evaluate("document.activeElement.id")
    assert found == {path: "error-summary" for path in found}
