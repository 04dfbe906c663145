"""The login page in a real browser: accessible, and each role lands on its start page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, describe, sign_in, small_targets
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())


def test_login_page_has_no_axe_violations(page, demo):
    page.goto("/accounts/login/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("width", [360, 1280])
def test_login_targets_are_44_px_tall(browser, live_server, demo, width):
    viewport = {"width": width, "height": 800}
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        assert small_targets(page) == []  # "Keep me signed in": its box with its label
        page.click("label[for=id_keep_signed_in]")
        assert page.is_checked("#id_keep_signed_in")
    finally:
        context.close()


def test_login_page_in_dark_theme_has_no_axe_violations(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = context.new_page()
    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    violations = axe_violations(page)
    context.close()
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    ("username", "heading"),
    [("patient", "Today"), ("neurologist", "My patients"), ("staff", "Follow-ups")],
)
def test_demo_user_signs_in_and_lands_on_start_page(page, demo, username, heading):
    sign_in(page, username, DEMO_PASSWORD)
    assert page.locator("h1").first.inner_text().startswith(heading)


def test_login_with_keyboard_only(page, demo):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.focus("#id_username")
    page.keyboard.type("patient")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/today/")


def test_two_factor_setup_and_recovery_codes_pages_have_no_axe_violations(page, demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.two_factor import current_code

    page.goto("/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator(".qr-code svg").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.fill("#id_code", "000000")
    page.click("main button[type=submit]")
    page.wait_for_selector("#id_code[aria-invalid=true]")

    device = TOTPDevice.objects.get(user__username="staff")
    device.throttle_reset()  # the wrong code above throttles the next try for a second
    page.fill("#id_code", current_code(device))
    page.click("main button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.click("text=I have saved them: continue")
    assert page.locator("h1").first.inner_text().startswith("Follow-ups")


def test_a_clinician_types_the_code_on_the_verify_page(page, demo):
    sign_in(page, "neurologist", DEMO_PASSWORD)  # the helper types the authenticator's code
    assert page.locator("h1").first.inner_text().startswith("My patients")
    page.goto("/accounts/two-factor/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_password_change_errors_take_the_focus_to_the_summary(browser, live_server, demo, scheme):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/accounts/password/")
        page.fill("#id_old_password", DEMO_PASSWORD)
        page.fill("#id_new_password1", "short")
        page.fill("#id_new_password2", "short")
        page.click("main button[type=submit]")
        page.wait_for_selector("#error-summary")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert "too short" in page.inner_text("#id_new_password1_error")  # by the rules
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        assert small_targets(page) == []
        page.click('#error-summary a[href="#id_new_password1"]')
        assert page.evaluate("document.activeElement.id") == "id_new_password1"
        expect(page.locator('label[for="id_new_password1"]')).to_be_in_viewport(ratio=1)
    finally:
        context.close()


def test_two_factor_and_locked_out_pages_in_dark_theme_have_no_axe_violations(
    browser, live_server, demo
):
    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "neurologist", DEMO_PASSWORD)
        page.goto("/accounts/two-factor/")
        assert page.locator("#two-factor-state").is_visible()
        violations = axe_violations(page)
        assert violations == [], describe(violations)

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        for _ in range(5):  # AXES_FAILURE_LIMIT wrong passwords
            page.goto("/accounts/login/")
            page.fill("#id_username", "patient")
            page.fill("#id_password", "not-the-password")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
        page.wait_for_selector("#locked-out")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_a_wrong_two_factor_code_at_sign_in_is_announced_and_linked_to_its_field(
    browser, live_server, demo
):
    """A patient with two-factor on mistypes the code at sign-in (a tremor, on a phone).
    As on every other form of the clinic, the error must be announced: the focus goes to
    the error summary (role="alert"), whose link leads to the code field."""
    from clinic.models import User
    from tests.two_factor import confirmed_totp_device

    confirmed_totp_device(User.objects.get(username="patient"))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("#id_username", "patient")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/verify/**")
        page.fill("#id_code", "000000")
        page.click("main button[type=submit]")
        page.wait_for_selector("#id_code[aria-invalid=true]")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        summary = page.locator("#error-summary")
        expect(summary).to_have_attribute("role", "alert")
        expect(summary).to_contain_text("That code did not match")
        summary.locator('a[href="#id_code"]').click()
        assert page.evaluate("document.activeElement.id") == "id_code"
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
