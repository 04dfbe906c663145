"""Headless Debian Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.services import CHROMIUM, chromium_available, require
from tests.two_factor import confirmed_totp_device, current_code

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module, and Playwright stopped after it.

    While Playwright's sync API runs, its event loop counts as running in this thread, so
    Django keeps database connections per async context instead of per thread: those
    opened meanwhile are invisible to the test database's teardown, and PostgreSQL then
    refuses to drop it ("being accessed by other users"). Closing them before Playwright
    stops, and stopping it after each module, keeps the tests after it on plain threads.
    """
    require(chromium_available(), f"Chromium at {CHROMIUM}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()
        connections.close_all()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Any Content-Security-Policy violation (an inline script, an eval, a foreign source)
    # fails the test that caused it, whatever that test checks.
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], "CSP violations: " + " | ".join(violations)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the real login form, then the two-factor code where one is asked.

    Clinicians get an authenticator (a confirmed TOTP device) first, and the code typed is
    the one their app would show now (computed by django-otp).
    """
    device = _authenticator_of(username)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if device is not None and "/accounts/two-factor/verify/" in page.url:
        page.fill("#id_code", current_code(device))
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def fast_forward_to_the_session_warning(page) -> None:
    """Move the page's clock (``page.clock.install()`` before the page loaded) to the
    sign-out warning (static/js/session-timeout.js), as the server's numbers on the page
    say; checks it does not come a second early."""
    from playwright.sync_api import expect

    dialog = page.locator("#session-timeout")
    left = int(dialog.get_attribute("data-seconds-left"))
    lead = int(dialog.get_attribute("data-warning-seconds"))
    page.clock.fast_forward((left - lead - 1) * 1000)
    expect(dialog).to_be_hidden()
    page.clock.fast_forward(1000)
    expect(dialog).to_be_visible()


def text_at_200_percent(page) -> None:
    """Double the browser's default font size (16 to 32 px), as a patient who sees poorly
    does with the text-size setting (WCAG 1.4.4: text resized to 200 %); the page's rem
    sizes follow it, as they do on a phone set to its largest text."""
    session = page.context.new_cdp_session(page)
    session.send("Page.enable")
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})


def _authenticator_of(username: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.access import CLINICAL_ROLES
    from clinic.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    if user.role in CLINICAL_ROLES:
        return confirmed_totp_device(user)
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core at WCAG 2.1 A/AA on the current page; return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations)


TARGET_PX = 44  # WCAG 2.5.5 (AAA), the README's promise: targets at least 44x44 CSS px

_SMALL_TARGETS_JS = """(limit) => {
  const small = [];
  const controls = 'main a[href], main button, main input:not([type=hidden]), main select, '
    + 'main textarea';
  const union = (a, b) => ({left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
    top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom)});
  for (const el of document.querySelectorAll(controls)) {
    // A .btn-check input is hidden; its label (a .score-option button) is the target.
    if (el.classList.contains('btn-check')) continue;
    if (!el.getClientRects().length) continue;
    // A link inside a sentence is exempt (WCAG 2.5.8); a link standing alone is not.
    if (el.matches('a') && el.parentElement.textContent.trim() !== el.textContent.trim()) continue;
    // Each box the element draws is measured: an inline link wrapped over two lines is two
    // short targets, however tall their bounding rectangle.
    let boxes = Array.from(el.getClientRects());
    // A checkbox or radio button is one target with its label: a click on either toggles it.
    if (el.matches('[type=checkbox], [type=radio]')) {
      let box = el.getBoundingClientRect();
      for (const label of el.labels || []) box = union(box, label.getBoundingClientRect());
      boxes = [box];
    }
    for (const {left, right, top, bottom} of boxes) {
      if (bottom - top < limit || right - left < limit) {
        const name = (el.id || el.textContent || el.value || '').trim().slice(0, 40);
        const size = `${Math.round(right - left)}x${Math.round(bottom - top)}`;
        small.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
        break;
      }
    }
  }
  return small;
}"""


def small_targets(page) -> list[str]:
    """The links, buttons and form controls in <main> under 44x44 CSS px, each box of a
    wrapped link on its own (a checkbox or radio button measured together with its label;
    links inside a sentence exempt)."""
    return page.evaluate(_SMALL_TARGETS_JS, TARGET_PX)
