"""Follow-ups after a visit's date is corrected past another visit of the same patient.

The correction goes through the real path: ``visit_correct`` and, after commit, the
``injection_visit_changed`` receivers; the last test makes their re-sync fail and lets the
nightly sweep repair it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from treatments import followup_receivers
from treatments.models import FollowUp, InjectionVisit
from treatments.services import followups as services
from treatments.services.visits import SiteInput, VisitInput, visit_correct

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def correct(treating_neurologist, django_capture_on_commit_callbacks):
    """Correct a visit as its neurologist does, with the receivers run after commit."""

    def run(visit: InjectionVisit, **changes) -> InjectionVisit:
        fields = {
            name: getattr(visit, name)
            for name in ("date", "indication", "product", "lot_number", "guidance")
        }
        fields["dilution_units_per_ml"] = visit.dilution_units_per_ml
        sites = [
            SiteInput(muscle=s.muscle, side=s.side, units=s.units, points=s.points)
            for s in visit.sites.all()
        ]
        with django_capture_on_commit_callbacks(execute=True):
            return visit_correct(
                visit=visit,
                user=treating_neurologist,
                changes=VisitInput(**{**fields, **changes}),
                sites=sites,
                reason="Wrong date typed",
            )

    return run


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def state(followup: FollowUp) -> tuple[str, str]:
    followup.refresh_from_db()
    return followup.status, followup.status_reason


def test_an_earlier_visit_moved_past_the_later_one_becomes_the_latest(
    patient_record, staff, today, correct
):
    first = data.visit(patient_record, on=today - timedelta(200))
    second = data.visit(patient_record, on=today - timedelta(100))
    booked_at = at(today + timedelta(3))
    services.followup_schedule(followup=data.review_of(second), scheduled_at=booked_at, actor=staff)
    assert state(data.reinjection_of(first))[0] == Status.DONE

    moved_to = today - timedelta(10)
    correct(first, date=moved_to)

    # The moved visit is the latest now: its follow-ups are as if it was recorded last.
    review, reinjection = data.review_of(first), data.reinjection_of(first)
    assert state(review) == state(reinjection) == (Status.DUE, "")
    assert (review.due_from, reinjection.due_from) == (
        moved_to + timedelta(28),
        moved_to + timedelta(84),
    )
    # The other visit's reinjection is superseded by it; its booked review call stays booked.
    assert state(data.reinjection_of(second)) == (Status.DONE, f"Reinjected on {moved_to}")
    booked = data.review_of(second)
    assert (state(booked), booked.scheduled_at) == ((Status.SCHEDULED, ""), booked_at)


def test_a_later_visit_moved_before_the_earlier_one_reopens_its_follow_ups(
    patient_record, staff, today, correct
):
    first = data.visit(patient_record, on=today - timedelta(100))
    # Staff reached the patient for the first review call before the second visit.
    services.followup_set_status(
        followup=data.review_of(first), status=Status.DONE, reason="", actor=staff
    )
    second = data.visit(patient_record, on=today - timedelta(10))
    services.followup_schedule(
        followup=data.reinjection_of(second), scheduled_at=at(today + timedelta(80)), actor=staff
    )
    assert Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED, sent_at__isnull=True).exists()
    assert state(data.reinjection_of(first)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(10)}",
    )

    correct(second, date=today - timedelta(200))

    # The first visit is the latest again: its reinjection is due once more, with its window.
    reinjection = data.reinjection_of(first)
    assert state(reinjection) == (Status.DUE, "")
    assert reinjection.due_from == today - timedelta(100) + timedelta(84)
    # A follow-up staff closed themselves stays closed.
    assert state(data.review_of(first)) == (Status.DONE, "")
    # The moved visit's follow-ups are superseded by the first visit, the booked
    # reinjection too (as when a later visit is recorded), its unsent notice withdrawn.
    superseded = (Status.DONE, f"Reinjected on {today - timedelta(100)}")
    assert state(data.review_of(second)) == state(data.reinjection_of(second)) == superseded
    assert not Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED, sent_at__isnull=True)


def test_the_visit_between_names_the_new_next_visit(patient_record, today, correct):
    first = data.visit(patient_record, on=today - timedelta(300))
    second = data.visit(patient_record, on=today - timedelta(200))
    third = data.visit(patient_record, on=today - timedelta(100))

    correct(second, date=today - timedelta(5))

    third_date = today - timedelta(100)
    assert state(data.reinjection_of(first)) == (Status.DONE, f"Reinjected on {third_date}")
    assert state(data.reinjection_of(third)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(5)}",
    )
    assert state(data.reinjection_of(second)) == (Status.DUE, "")


def test_the_nightly_sweep_reopens_follow_ups_a_failed_resync_left_superseded(
    patient_record, today, correct, monkeypatch
):
    """The receiver's failure is logged with "the nightly sweep retries": after a date
    correction whose re-sync failed (a deadlock, a dropped connection), the sweep must
    bring the other visits' follow-ups back, or the patient's only remaining reinjection
    stays closed, naming a visit date that no longer exists."""
    first = data.visit(patient_record, on=today - timedelta(100))
    second = data.visit(patient_record, on=today - timedelta(10))
    assert state(data.reinjection_of(first)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(10)}",
    )

    def fails(**kwargs):
        raise RuntimeError("deadlock detected")

    with monkeypatch.context() as patched:
        patched.setattr(followup_receivers, "followups_sync_for_visit", fails)
        correct(second, date=today - timedelta(200))  # the visit is saved, the re-sync fails

    assert services.followups_sweep(now=timezone.now())["reopened"] == 1

    # The first visit is now the patient's latest: its reinjection is due again.
    assert state(data.reinjection_of(first)) == (Status.DUE, "")


def test_a_visit_recorded_late_between_two_is_named_by_the_earlier_ones_follow_ups(
    patient_record, today
):
    first = data.visit(patient_record, on=today - timedelta(200))
    data.visit(patient_record, on=today - timedelta(10))
    assert state(data.reinjection_of(first)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(10)}",
    )

    between = data.visit(patient_record, on=today - timedelta(100))

    # The first visit's follow-ups were superseded by the visit that came next after it.
    for followup in (data.review_of(first), data.reinjection_of(first)):
        assert state(followup) == (Status.DONE, f"Reinjected on {today - timedelta(100)}")
    # The visit recorded late is itself superseded by the latest one.
    assert state(data.reinjection_of(between)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(10)}",
    )
