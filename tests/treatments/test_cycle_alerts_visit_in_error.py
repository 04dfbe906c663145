"""A cycle alert about an injection that was since marked entered in error.

DESIGN §3/§5 and README: a visit entered in error is kept but drops out of every
analysis, and the neurologist is alerted when a cycle turns early wear-off or no
response. An alert about the cycle of a visit that never happened (wrong patient,
recorded twice) tells the care team that this patient's treatment failed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from tests.treatments.factories import visit_with_sites
from treatments.models import CycleSummary
from treatments.services import followups as services
from treatments.services.summaries import cycle_summaries_recompute
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
EVENING = datetime(2026, 3, 10, 19, 5, tzinfo=UTC)


@pytest.fixture
def early_cycle(patient_record):
    """A visit whose stored cycle summary says early wear-off, as the recompute left it."""
    with time_machine.travel(EVENING, tick=False):
        visit = visit_with_sites(patient_record, date=date(2026, 1, 5))
        CycleSummary.objects.create(
            patient=patient_record,
            visit=visit,
            injection_date=visit.date,
            end_date=date(2026, 3, 10),
            coverage=0.9,
            verdict="early_wear_off",
            computed_at=timezone.now(),
        )
    return visit


def test_no_alert_is_queued_for_a_visit_marked_in_error_before_the_recompute_ran(
    published, early_cycle, treating_neurologist
):
    with time_machine.travel(EVENING, tick=False):
        # Marked in error; the summary recompute is enqueued after commit and has not run
        # yet (or its enqueue failed with the broker briefly down: the sweep runs at night).
        visit_mark_entered_in_error(
            visit=early_cycle, user=treating_neurologist, reason="Recorded on the wrong patient"
        )
        services.notifications_scan(now=timezone.now())
    alerts = Delivery.objects.filter(kind=notify.CYCLE_ALERT)
    assert list(alerts.values_list("key", flat=True)) == []


def test_an_alert_waiting_to_go_out_is_dropped_once_its_visit_is_marked_in_error(
    published, early_cycle, treating_neurologist
):
    with time_machine.travel(EVENING, tick=False):
        services.notifications_scan(now=timezone.now())
        delivery = Delivery.objects.get(kind=notify.CYCLE_ALERT, recipient=treating_neurologist)
        visit_mark_entered_in_error(
            visit=early_cycle, user=treating_neurologist, reason="Recorded on the wrong patient"
        )
        cycle_summaries_recompute(patient_id=early_cycle.patient_id)
        assert not CycleSummary.objects.exists()  # the analysis no longer has that cycle
        sent = notify.deliver(delivery.pk)
    texts = list(Notification.objects.values_list("text", flat=True))
    assert (sent, texts) == (False, [])
