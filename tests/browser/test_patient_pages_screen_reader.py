"""A screen-reader pass over every page a patient with several affected regions opens, in
real Chromium: what the accessibility tree gives (Playwright's ARIA snapshot) and the
document rules a screen reader relies on. Each page: its language set, one h1 and no
heading level skipped, no duplicate id, every control named, no template syntax read out.
Today: one named group per region inside a labelled group; an answer left out is an
error tied to its group and listed in an alert; a save is announced in a status region."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patients.models import AffectedRegion, BodyRegion, Patient
from tests.browser.conftest import sign_in
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser

REGIONS = (("eyelids", "both"), ("larynx", ""), ("arm-hand", "right"))  # and the neck
REGION_NAMES = ["Eyelids (both sides)", "Larynx / voice", "Neck", "Arm and hand (right)"]
PATIENT_PAGES = (
    "/today/",
    "/history/",
    "/my-chart/",
    "/reminders/",
    "/inbox/",
    "/accounts/two-factor/",
    "/accounts/password/",
)

_DOCUMENT_RULES_JS = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) problems.push('duplicate ids: ' + dup.join(', '));
  const levels = [...document.querySelectorAll('main :is(h1,h2,h3,h4,h5,h6)')]
    .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]));
  if (levels.filter(l => l === 1).length !== 1) problems.push('h1 count: ' + levels);
  levels.forEach((l, i) => { if (i && l > levels[i - 1] + 1) problems.push('skip: ' + levels); });
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, a[href]');
  for (const el of controls) {
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.textContent.trim() || el.title;
    if (!named) problems.push('unnamed: ' + el.outerHTML.slice(0, 80));
  }
  return problems;
}"""


@pytest.fixture
def several_regions(transactional_db):
    """The demo patient (neck) with eyelids, voice and the right arm affected too."""
    seed_people(timezone.localdate())
    patient = Patient.objects.get(user__username="patient")
    for code, side in REGIONS:
        AffectedRegion.objects.create(
            patient=patient, region=BodyRegion.objects.get(code=code), side=side
        )
    diary_for(patient, timezone.localdate() - timedelta(days=1), 30)
    return patient


def test_every_patient_page_reads_well(page, several_regions):
    sign_in(page, "patient", DEMO_PASSWORD)
    for path in PATIENT_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(_DOCUMENT_RULES_JS) == [], path
        spoken = page.locator("body").aria_snapshot()
        for syntax in ("{#", "#}", "{%", "{{"):
            assert syntax not in spoken, f"{path} reads out template syntax {syntax!r}"


def test_today_groups_each_region_and_ties_each_error_to_its_group(page, several_regions):
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/today/")
    regions = page.get_by_role("group", name="Each affected body region")
    for name in REGION_NAMES:
        assert regions.get_by_role("group", name=name, exact=True).count() == 1, name
    page.locator("input[name=severity][value='6']").check(force=True)
    page.locator("#diary-form button[type=submit]").first.click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    for name in REGION_NAMES:
        message = f"Choose a number from 0 to 10 for {name.lower()}."
        assert alert.get_by_role("link", name=message).count() == 1
        group = regions.get_by_role("group", name=name, exact=True)
        described = group.get_attribute("aria-describedby").split()
        errors = [page.locator(f"#{i}").inner_text() for i in described]
        assert any(message in text for text in errors), (name, errors)


def test_a_chosen_trigger_is_named_without_its_tick(page, several_regions):
    """The tick drawn on a chosen trigger is decoration: the checkbox is read as "Stress,
    checked", not "check mark Stress"."""
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/today/")
    page.get_by_role("checkbox", name="Stress", exact=True).check(force=True)
    assert page.get_by_role("checkbox", name="Stress", exact=True).is_checked()
    assert "✓" not in page.get_by_role("group", name="Did anything make it worse?").aria_snapshot()
