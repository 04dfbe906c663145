"""Registration in a real browser: staff register and invite, the patient sets a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from patients.models import Patient
from patients.tasks import send_invitation_email
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
NEW_PASSWORD = "quiet-harbour-lantern-81"


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """Invitation ids handed to the email task; the test runs the task itself."""
    ids: list[int] = []
    monkeypatch.setattr(
        send_invitation_email, "delay", lambda invitation_id: ids.append(invitation_id)
    )
    return ids


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_staff_register_and_invite_then_the_patient_chooses_a_password(
    page, browser, live_server, demo, enqueued
):
    sign_in(page, "staff", DEMO_PASSWORD)
    page.goto("/patients/new/")
    assert_accessible(page)
    page.fill("#id_first_name", "Ines")
    page.fill("#id_last_name", "Duarte")
    page.fill("#id_date_of_birth", "1979-03-14")
    page.fill("#id_medical_record_number", "MRN-BROWSER-1")
    page.fill("#id_email", "ines.duarte@example.invalid")
    page.select_option("#id_distribution", "focal")
    page.select_option("#id_etiology", "idiopathic")
    page.select_option("#id_time_zone", "Europe/Lisbon")
    page.check("label:has-text('Nora Iqbal') >> xpath=preceding-sibling::input")
    page.select_option("#id_regions-0-region", label="Arm and hand")
    page.select_option("#id_regions-0-side", "right")
    page.click("#patient-form button[type=submit]")
    page.wait_for_selector("text=The patient is registered.")
    patient = Patient.objects.get(medical_record_number="MRN-BROWSER-1")
    assert [region.label for region in patient.regions.all()] == ["Arm and hand (right)"]
    assert_accessible(page)

    page.click("text=Send the invitation")
    page.wait_for_selector("text=Invitation on its way")
    assert len(enqueued) == 1
    assert send_invitation_email(enqueued[0]) is True
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]

    page.goto("/patients/?q=duarte")
    assert page.locator("text=Invited; link valid until").count() == 1
    assert_accessible(page)

    visitor = browser.new_context(base_url=live_server.url)
    try:
        accept = visitor.new_page()
        accept.goto(path)
        assert_accessible(accept)
        accept.fill("#id_username", "ines")
        accept.fill("#id_new_password1", NEW_PASSWORD)
        accept.fill("#id_new_password2", NEW_PASSWORD)
        accept.click("button[type=submit]")
        accept.wait_for_url("**/today/")
        assert accept.locator("h1").first.inner_text().startswith("Today")
        accept.goto(path)
        assert "no longer works" in accept.locator("h1").inner_text()
    finally:
        visitor.close()
    patient.refresh_from_db()
    assert patient.user.username == "ines"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_patient_list_and_form_errors_are_accessible(browser, live_server, demo, scheme):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        sign_in(page, "staff", DEMO_PASSWORD)
        page.goto("/patients/")
        assert_accessible(page)
        page.goto("/patients/new/")
        page.click("#patient-form button[type=submit]")
        page.wait_for_selector("#error-summary")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert_accessible(page)
    finally:
        context.close()


def test_registering_a_patient_already_on_record_asks_first_accessibly(
    page, browser, live_server, demo
):
    """The second registration of a person is stopped with the record number it already
    has; the box that confirms another person is reached from the error summary, labelled,
    and ticking it registers."""
    known = Patient.objects.order_by("pk").first()
    sign_in(page, "staff", DEMO_PASSWORD)
    page.goto("/patients/new/")
    page.fill("#id_first_name", known.first_name)
    page.fill("#id_last_name", known.last_name)
    page.fill("#id_date_of_birth", known.date_of_birth.isoformat())
    page.fill("#id_medical_record_number", "MRN-BROWSER-2")
    page.select_option("#id_distribution", "focal")
    page.select_option("#id_etiology", "idiopathic")
    page.locator("input[name=care_team]").first.check()
    page.select_option("#id_regions-0-region", label="Neck")
    page.click("#patient-form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert known.medical_record_number in page.inner_text("#error-summary")
    assert_accessible(page)
    page.click("#error-summary a[href='#id_different_person']")
    assert page.evaluate("document.activeElement.id") == "id_different_person"
    page.get_by_label("This is another person with the same name and date of birth").check()
    page.click("#patient-form button[type=submit]")
    page.wait_for_selector("text=The patient is registered.")
    assert Patient.objects.filter(medical_record_number="MRN-BROWSER-2").exists()
