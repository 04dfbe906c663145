"""The inbox in a real browser: with messages (read and unread, with and without a link) it is
accessible in both themes and its buttons are large enough to hit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clinic.models import Notification, User
from tests.browser.conftest import axe_violations, describe, sign_in, small_targets
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_inbox(transactional_db) -> User:
    """The demo patient with two unread messages (one with a link) and one read message."""
    seed_people(timezone.localdate())
    patient = User.objects.get(username="patient")
    Notification.objects.create(
        recipient=patient, kind="appointment_booked", text="Your visit is booked.", link="/today/"
    )
    Notification.objects.create(
        recipient=patient, kind="reminder", text="You have not logged today yet."
    )
    Notification.objects.create(
        recipient=patient, kind="reminder", text="An older message.", read_at=timezone.now()
    )
    return patient


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_inbox_with_messages_has_no_axe_violations(browser, live_server, demo_inbox, scheme):
    context = browser.new_context(
        base_url=live_server.url, color_scheme=scheme, viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/inbox/")
        assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == scheme
        assert page.get_by_role("button", name="Mark all as read").is_visible()
        assert page.get_by_role("link", name="Open").is_visible()
        assert page.locator("main form button", has_text="Mark as read").count() == 2
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        assert small_targets(page) == []
    finally:
        context.close()


def test_marking_a_message_read_on_an_older_page_stays_on_that_page(
    browser, live_server, demo_inbox
):
    """A patient working through page 2 of the inbox marks one message read: they stay where
    they were, with the message now read, instead of being sent back to page 1."""
    for number in range(35):  # more than one page (30 a page)
        Notification.objects.create(
            recipient=demo_inbox, kind="reminder", text=f"Reminder number {number}"
        )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/inbox/?page=2")
        first = page.locator("main li .notification-text").first.inner_text()
        page.locator("main li form button", has_text="Mark as read").first.click()
        page.wait_for_load_state()
        assert "page=2" in page.url, f"sent back to {page.url}"
        assert page.locator("main li .notification-text").first.inner_text() == first
    finally:
        context.close()
