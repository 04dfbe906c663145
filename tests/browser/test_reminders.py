"""Reminders in a real browser: accessible in both themes, with and without an error, and
every target (the "Remind me" checkbox with its label) at least 44 px tall."""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in, small_targets
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_reminders_with_an_error_are_accessible_and_easy_to_hit(
    browser, live_server, demo, scheme, width
):
    context = browser.new_context(
        base_url=live_server.url, color_scheme=scheme, viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/reminders/")
        assert small_targets(page) == []
        violations = axe_violations(page)
        assert violations == [], describe(violations)

        page.click("label[for=id_reminder_enabled]")  # the label toggles the box
        assert not page.is_checked("#id_reminder_enabled")
        page.click("label[for=id_reminder_enabled]")
        page.fill("#id_reminder_time", "")
        page.click("main button[type=submit]")
        page.wait_for_selector("#error-summary")
        assert "Choose a reminder time, for example 19:00." in page.inner_text("#error-summary")
        assert small_targets(page) == []
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
