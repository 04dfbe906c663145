"""The error pages a patient meets on a phone (an old link, a page of the clinic's staff):
accessible, and the way back to their start page as large a target as any other."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations, describe, sign_in, small_targets
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db) -> None:
    seed_people(timezone.localdate())


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/follow-ups/", 403, "You may not open this page"),  # the staff's queue
    ],
    ids=["404", "403"],
)
def test_the_way_back_from_an_error_page_is_easy_to_hit(
    browser, live_server, demo, path, status, heading
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        response = page.goto(path)
        assert response.status == status
        assert page.locator("h1").inner_text() == heading
        assert small_targets(page) == []  # a patient with a tremor taps it
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        page.get_by_role("link", name="Go to your start page").click()
        page.wait_for_url("**/today/")
    finally:
        context.close()
