"""The hand-over page in a real browser: accessible as shown, and with its errors."""

from __future__ import annotations

import pytest

from clinic.models import User
from tests.browser.conftest import axe_violations, describe, sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_hand_over_page_and_its_errors_are_accessible(browser, live_server, demo, scheme):
    source = User.objects.get(username="neurologist")
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        sign_in(page, "staff", DEMO_PASSWORD)
        page.goto(f"/patients/hand-over/?from={source.uuid}")
        assert axe_violations(page) == [], describe(axe_violations(page))
        page.click(".care-team-handover-form button[type=submit]")
        page.wait_for_selector("#error-summary")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
