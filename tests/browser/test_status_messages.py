"""The message after a save is announced (templates/base.html, static/js/status-messages.js):
the live region is empty when the page has loaded and the message is put into it a moment
later, a change a screen reader reads out; the focus stays where it was. Without
JavaScript the message is simply on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from patients.models import DiaryEntry, Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
SAVED = "Saved your diary for"
# What the status region (#messages) held when the page had loaded, and the text of what
# was added to it afterwards: recorded from the start of every page.
RECORD = """
window.regionAtLoad = undefined;
window.addedLater = [];
document.addEventListener('DOMContentLoaded', () => {
  const region = document.getElementById('messages');
  window.regionAtLoad = region ? region.textContent.trim() : null;
  if (!region) return;
  new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes) window.addedLater.push(node.textContent.trim());
  }).observe(region, {childList: true, subtree: true, characterData: true});
});
"""


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


def save_today(page, demo) -> None:
    """The patient's Today page, its four scores answered (by their labels, as a mouse
    would: no script needed), then saved."""
    page.goto("/today/")
    region = demo.regions.get()
    for name in ("severity", f"region_{region.pk}", "pain", "interference"):
        page.click(f"label[for=id_{name}_3]")
    page.click("#diary-form button[type=submit]")
    page.wait_for_url("**/today/")


def test_the_save_message_is_put_into_the_status_region_after_the_page_loads(
    browser, live_server, demo
):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    try:
        context.add_init_script(RECORD)
        page = context.new_page()
        sign_in(page, "patient", DEMO_PASSWORD)
        save_today(page, demo)
        assert DiaryEntry.objects.filter(patient=demo).exists()
        status = page.locator("#messages")
        expect(status).to_have_attribute("role", "status")
        expect(status).to_contain_text(SAVED)
        assert page.evaluate("window.regionAtLoad") == ""  # empty when the page had loaded
        added = page.evaluate("window.addedLater")
        assert any(SAVED in text for text in added), added  # then a change: announced
        assert status.locator(".alert").count() == 1  # put back, not copied
        # The focus was not moved to the message: the page starts where pages start.
        assert page.evaluate("document.activeElement === document.body")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_without_javascript_the_save_message_is_on_the_page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, "patient", DEMO_PASSWORD)
        save_today(page, demo)
        assert DiaryEntry.objects.filter(patient=demo).exists()
        status = page.locator("#messages[role=status]")
        assert SAVED in status.inner_text()
        assert status.is_visible()
    finally:
        context.close()


# The fill notice's text when the page had loaded, and the text added to it afterwards.
RECORD_FILL_NOTICE = """
window.noticeAtLoad = undefined;
window.addedToNotice = [];
document.addEventListener('DOMContentLoaded', () => {
  const notice = document.querySelector('.fill-notice');
  window.noticeAtLoad = notice ? notice.textContent.trim() : null;
  if (!notice) return;
  new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes) window.addedToNotice.push(node.textContent.trim());
  }).observe(notice, {childList: true, subtree: true, characterData: true});
});
"""


def test_the_same_as_yesterday_notice_is_announced(browser, live_server, demo):
    """ "Same as yesterday" reloads Today with the answers filled in and a notice in a status
    region ("Filled in from …: your answers, not the note"). A screen reader announces a
    status region's changes, not what it held at load: the notice's words must come into it
    after the page has loaded, as the messages after a save do; its Save button stays."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.patients.factories import diary_for

    diary_for(demo, timezone.localdate() - timedelta(days=1), 1)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    try:
        context.add_init_script(RECORD_FILL_NOTICE)
        page = context.new_page()
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/today/")
        page.click("#fill-last")
        page.wait_for_url("**fill=last")
        notice = page.locator(".fill-notice")
        expect(notice).to_have_attribute("role", "status")
        expect(notice).to_contain_text("Filled in from")
        assert "Filled in from" not in page.evaluate("window.noticeAtLoad")
        added = page.evaluate("window.addedToNotice")
        assert any("Filled in from" in text for text in added), added
        assert notice.locator("p", has_text="Filled in from").count() == 1  # put back, once
        notice.get_by_role("button", name="Save today").click()
        page.wait_for_url("**/today/")
        expect(page.locator("#messages")).to_contain_text(SAVED)
    finally:
        context.close()
