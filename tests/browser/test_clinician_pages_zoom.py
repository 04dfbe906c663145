"""The neurologist's and staff's pages at a laptop's width (1280x800) with the text at 200 %
(WCAG 1.4.4 and 1.4.10): nothing makes the whole page scroll sideways (a wide table scrolls
inside its own box), and axe finds no serious or critical violation (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patients.models import Patient
from tests.browser.conftest import sign_in, text_at_200_percent
from treatments.demo import DEMO_PASSWORD, seed_people, seed_treatments
from treatments.models import FollowUp

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def pat(transactional_db) -> Patient:
    seed_people(timezone.localdate())
    seed_treatments(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0001")


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    found = Axe().run(page, options=options).response["violations"]
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def sideways_scroll(page) -> int:
    """How many CSS px the whole page scrolls sideways (0 when it reflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def pages_of(username: str, pat: Patient) -> list[str]:
    record = f"/patients/{pat.uuid}/"
    followup = FollowUp.objects.filter(patient=pat).first()
    common = ["/patients/", record, "/patients/hand-over/", "/follow-ups/", "/follow-ups/day/"]
    common += ["/inbox/", f"/follow-ups/{followup.uuid}/"]
    if username == "neurologist":
        return ["/clinic/", *common, f"{record}visits/new/", f"{record}chart/"]
    return ["/", *common, "/patients/new/"]


@pytest.mark.parametrize("username", ["neurologist", "staff"])
def test_with_text_at_200_percent_no_page_scrolls_sideways_or_fails_axe(
    browser, live_server, pat, username
):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, username, DEMO_PASSWORD)
        text_at_200_percent(page)
        found = {}
        for path in pages_of(username, pat):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            problems = serious_violations(page)
            if sideways_scroll(page) > 0:
                problems.append(f"scrolls {sideways_scroll(page)} px sideways")
            if problems:
                found[path.replace(str(pat.uuid), "<patient>")] = problems
        assert found == {}
    finally:
        context.close()
