"""In a real browser: the demo staff user books a demo patient's reinjection from the queue,
and the patient finds the appointment in their inbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.celery import app
from clinic.models import User
from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.treatments import followup_data as data
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


@pytest.fixture
def eager_tasks():
    """No worker runs beside the live server: tasks run in the request's thread after commit."""
    original = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = original


@pytest.fixture
def demo_reinjection(transactional_db, eager_tasks):
    """The demo clinic, and Pat Jones's reinjection due now (injected 12 weeks ago)."""
    today = timezone.localdate()
    seed_people(today)
    pat = Patient.objects.get(medical_record_number="DEMO-0001")
    data.diary(pat)
    recorded = data.visit(
        pat, on=today - timedelta(days=84), injector=User.objects.get(username="neurologist")
    )
    return data.reinjection_of(recorded)


def test_staff_book_a_reinjection_and_the_patient_sees_it(page, demo_reinjection):
    sign_in(page, "staff", DEMO_PASSWORD)
    assert page.locator("h1").first.inner_text() == "Follow-ups"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # Her review call of that visit, overdue since, is listed this week too.
    row = page.locator(f'#followup-queue tbody tr[data-followup="{demo_reinjection.uuid}"]')
    assert "Reinjection" in row.inner_text()
    data.assert_no_markers(page.content())

    row.get_by_role("link", name="Pat Jones").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Reinjection: Pat Jones"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    day = demo_reinjection.due_from + timedelta(days=1)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Time").fill("10:30")
    page.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Booked for")
    assert "10:30" in page.locator("#followup-booked").inner_text()
    demo_reinjection.refresh_from_db()
    assert demo_reinjection.status == "scheduled"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in(page, "patient", DEMO_PASSWORD)
    inbox_link = page.get_by_role("link", name="Inbox (1 unread)")
    inbox_link.click()
    page.wait_for_load_state()
    message = page.locator(".notification-text").first.inner_text()
    assert message.startswith("Your reinjection visit on ")
    assert f"{day.day} {day:%B %Y} at 10:30" in message
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Inbox", exact=True).is_visible()


def test_each_view_of_the_queue_reads_its_name_then_its_count(page, demo_reinjection):
    """The views' counts ("Overdue 3") stand apart from their names: a link is a flex box,
    where the space before the count collapsed, so "Overdue3" was shown, the count touching
    the word. A screen reader names each link with a space between."""
    sign_in(page, "staff", DEMO_PASSWORD)
    views = page.get_by_role("navigation", name="Follow-up views").get_by_role("link")
    gaps = views.evaluate_all(
        """(links) => links.map((link) => {
          const range = document.createRange();
          range.selectNodeContents(link.firstChild);
          const words = range.getClientRects();
          const badge = link.querySelector('.badge').getBoundingClientRect();
          return badge.left - words[words.length - 1].right;
        })"""
    )
    assert len(gaps) >= 4
    assert min(gaps) >= 4
    for index in range(len(gaps)):
        expect(views.nth(index)).to_have_accessible_name(re.compile(r"[a-z] \d+$"))
