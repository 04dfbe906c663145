"""The queue's views page in a total order: rows at the same time keep their place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments import followup_data as data
from treatments.selectors import followups as selectors
from treatments.selectors.followups import Section
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("section", list(Section))
def test_every_view_ends_its_order_with_the_primary_key(staff, section):
    """Two bookings at the same time (two rooms, two callers) are ordered by their key, so
    a row never moves from one page to the next between two page loads."""
    queue = selectors.followup_queue(user=staff, today=timezone.localdate(), section=section)
    order = list(queue.page.object_list.query.order_by)
    assert order[-1] == "pk", order


def test_bookings_at_the_same_time_page_without_repeats(staff):
    today = timezone.localdate()
    when = data.at(today + timedelta(days=30))
    booked = []
    for _ in range(selectors.QUEUE_PAGE_SIZE + 2):
        followup = data.reinjection_of(data.visit(PatientFactory(), on=today - timedelta(60)))
        services.followup_schedule(followup=followup, scheduled_at=when, actor=staff)
        booked.append(followup.uuid)
    seen = []
    for number in (1, 2):
        queue = selectors.followup_queue(
            user=staff, today=today, section=Section.SCHEDULED, page_number=number
        )
        seen += [row.followup.uuid for row in queue.rows]
    assert sorted(seen) == sorted(booked)
