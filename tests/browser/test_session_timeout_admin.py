"""The sign-out warning on the Django admin's pages (templates/admin/base_site.html): the
clinic's admin works there under the clinicians' idle limit, and is warned as on every
other page. Browser time on Playwright's clock, server time with time-machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    axe_violations,
    describe,
    fast_forward_to_the_session_warning,
    sign_in,
    text_at_200_percent,
)
from tests.browser.test_session_timeout import (  # noqa: F401  (fixtures)
    TITLE,
    demo,
    focused_matches,
    server_clock,
    warning,
    what_reaches_past_the_warning,
)
from treatments.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.clock.install()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/clinic/user/")
    yield page
    context.close()
    assert violations == [], "CSP violations: " + " | ".join(violations)


def test_an_admin_page_warns_and_stay_signed_in_works_there(admin_page, server_clock):  # noqa: F811
    from clinic.sessions import CLINICIAN_IDLE_SECONDS

    page = admin_page
    start = datetime.now(UTC)
    assert int(page.get_attribute("#session-timeout", "data-seconds-left")) <= (
        CLINICIAN_IDLE_SECONDS
    )
    page.focus("#searchbar")
    fast_forward_to_the_session_warning(page)
    dialog = page.get_by_role("alertdialog", name=TITLE)
    expect(dialog).to_have_accessible_description(
        "Nothing has been sent from this page for a while. To keep your information safe, "
        "you will be signed out in about 2 minutes, and anything you have not saved yet "
        "would be lost."
    )
    assert focused_matches(page, "#session-timeout-stay")
    stay = page.locator("#session-timeout-stay").bounding_box()
    assert stay["height"] >= 44
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    server_clock.move_to(start + timedelta(minutes=14))
    with page.expect_response("**/accounts/keep-alive/") as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(warning(page)).to_be_hidden()
    assert focused_matches(page, "#searchbar")
    # Past the first idle limit (15 minutes after the page), within the new one.
    server_clock.move_to(start + timedelta(minutes=20))
    page.goto("/admin/clinic/user/")
    assert page.url.endswith("/admin/clinic/user/")
    expect(page.locator("#session-timeout")).to_have_count(1)


def test_the_admin_sign_in_page_has_no_warning(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        expect(page.locator("#session-timeout")).to_have_count(0)
    finally:
        context.close()


def test_at_320_px_with_text_at_200_percent_the_admins_warning_fits(
    browser,
    live_server,
    demo,  # noqa: F811
):
    """As on the clinic's pages (test_session_timeout): on a phone 320 px wide with its
    largest text, the warning's text wraps inside its border."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.clock.install()
        sign_in(page, "admin", DEMO_PASSWORD)
        page.goto("/admin/")
        text_at_200_percent(page)
        fast_forward_to_the_session_warning(page)
        assert what_reaches_past_the_warning(page) == {"scroll": 0, "wide": []}
    finally:
        context.close()
