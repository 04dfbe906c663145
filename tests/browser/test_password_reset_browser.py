"""The "Forgot your password?" pages in a real browser: accessible, with 44 px targets,
and a wrong address answered next to the field."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe, small_targets

pytestmark = pytest.mark.browser

PAGES = [
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/MQ/no-such-token/",  # a link that no longer works
]


@pytest.mark.parametrize("path", PAGES)
def test_reset_pages_have_no_axe_violations_and_44_px_targets(page, transactional_db, path):
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert small_targets(page) == []


def test_a_malformed_address_is_answered_next_to_the_field(page, transactional_db):
    page.goto("/accounts/password/reset/")
    page.fill("#id_email", "not an address")
    page.click("button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    assert page.get_attribute("#id_email", "aria-invalid") == "true"
    assert axe_violations(page) == []
