"""Overdue follow-ups are where a clinician looks first: "Due this week" lists them (they
are owed now, more than any other), and every view of follow-ups not yet booked puts them
at the top, whatever day their window opened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.selectors import followups as selectors
from treatments.selectors.followups import Section

pytestmark = pytest.mark.django_db
URL = reverse("treatments:followup_queue")


def review_with_window(opens: int, closes: int) -> FollowUp:
    """A review of a new patient, its window moved to ``opens``..``closes`` days from today."""
    today = timezone.localdate()
    review = data.review_of(data.visit(PatientFactory(), on=today - timedelta(60)))
    FollowUp.objects.filter(pk=review.pk).update(
        due_from=today + timedelta(opens), due_until=today + timedelta(closes)
    )
    return review


@pytest.fixture
def three():
    """An overdue review whose window opened after another's, still open, one."""
    open_long = review_with_window(-30, 3)
    overdue = review_with_window(-20, -5)
    this_week = review_with_window(0, 10)
    return overdue, open_long, this_week


def listed(user, section: Section) -> list[FollowUp]:
    queue = selectors.followup_queue(user=user, today=timezone.localdate(), section=section)
    return [row.followup for row in queue.rows]


def test_due_this_week_lists_the_overdue_first(staff, three):
    overdue, open_long, this_week = three
    assert listed(staff, Section.WEEK) == [overdue, open_long, this_week]


def test_not_yet_scheduled_puts_the_overdue_first(staff, three):
    overdue, open_long, this_week = three
    # Their patients' reinjections, not yet due, come after them.
    assert listed(staff, Section.UNSCHEDULED)[:3] == [overdue, open_long, this_week]


def test_the_week_count_includes_the_overdue(client, staff, three):
    overdue = three[0]
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert str(overdue.uuid) in html
    queue = selectors.followup_queue(user=staff, today=timezone.localdate())
    assert queue.counts[Section.WEEK] == 3
    assert queue.counts[Section.OVERDUE] == 1


def test_the_neurologists_queue_shows_the_overdue_this_week(client, treating_neurologist):
    today = timezone.localdate()
    review = data.review_of(
        data.visit(PatientFactory(care_team=[treating_neurologist]), on=today - timedelta(60))
    )
    FollowUp.objects.filter(pk=review.pk).update(
        due_from=today - timedelta(20), due_until=today - timedelta(5)
    )
    client.force_login(treating_neurologist)
    html = client.get(URL).content.decode()
    row = html.split(f'data-followup="{review.uuid}"')[1].split("</tr>")[0]
    assert "Overdue" in row
