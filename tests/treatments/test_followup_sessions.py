"""One clinic session, one review and one reinjection (treatments/services/followup_sync.py).

A patient with segmental craniocervical dystonia gets Botox for blepharospasm and for
cervical dystonia on one date, recorded as two visits (one indication each), or two
products: staff must see one review call and one reinjection for that session.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from tests.treatments.followup_data import at, long_minimum
from tests.treatments.test_followup_queue import followups_listed
from treatments.models import FollowUp, Indication, InjectionVisit
from treatments.services import followups as services
from treatments.services.followup_sync import MERGED_REASON

pytestmark = pytest.mark.django_db
Status = FollowUp.Status
OPEN = (Status.DUE, Status.SCHEDULED)


@pytest.fixture
def today():
    return timezone.localdate()


def followups_of(patient, *statuses) -> list[FollowUp]:
    found = FollowUp.objects.filter(patient=patient).order_by("kind", "pk")
    return list(found.filter(status__in=statuses) if statuses else found)


def session_of(followups: list[FollowUp]) -> dict[str, FollowUp]:
    kinds = [f.kind for f in followups]
    assert sorted(kinds) == [FollowUp.Kind.REINJECTION, FollowUp.Kind.REVIEW], kinds
    return {f.kind: f for f in followups}


def window(followup: FollowUp, since) -> tuple[int, int]:
    return ((followup.due_from - since).days, (followup.due_until - since).days)


def blepharospasm_visit(patient, on, **kwargs) -> InjectionVisit:
    toxin = data.product(indication=Indication.BLEPHAROSPASM, peak=(1, 2))
    return data.visit(patient, on=on, toxin=toxin, indication=Indication.BLEPHAROSPASM, **kwargs)


def move(visit: InjectionVisit, to) -> None:
    previous, visit.date = visit.date, to
    visit.save()
    services.followups_sync_for_visit(visit=visit, moved_from=previous)


def mark_in_error(visit: InjectionVisit, error: bool = True) -> None:
    visit.entered_in_error = error
    visit.save()
    services.followups_sync_for_visit(visit=visit)


def test_one_product_for_two_indications_makes_one_review_and_one_reinjection(
    patient_record, today
):
    cervical = data.visit(patient_record, on=today)
    blepharospasm_visit(patient_record, today)
    shared = session_of(followups_of(patient_record))
    assert {f.source_visit for f in shared.values()} == {cervical}
    assert {f.status for f in shared.values()} == {Status.DUE}
    # The call once both have reached their peak (4-6 weeks and 1-2 weeks).
    assert window(shared[FollowUp.Kind.REVIEW], today) == (28, 42)
    assert window(shared[FollowUp.Kind.REINJECTION], today) == (84, 98)


def test_two_products_share_a_reinjection_after_the_later_minimum_interval(
    patient_record, staff, today
):
    data.visit(patient_record, on=today)  # Botox: 12 weeks
    data.visit(patient_record, on=today, toxin=long_minimum())  # worn off at 10, minimum 16
    shared = session_of(followups_of(patient_record))
    reinjection = shared[FollowUp.Kind.REINJECTION]
    assert window(reinjection, today) == (112, 126)
    # Booking follows the same rule: Botox's 12 weeks are not enough alone.
    with pytest.raises(ValidationError, match="minimum interval"):
        services.followup_schedule(
            followup=reinjection, scheduled_at=at(today + timedelta(90)), actor=staff
        )
    booked = services.followup_schedule(
        followup=reinjection, scheduled_at=at(today + timedelta(112)), actor=staff
    )
    assert booked.status == Status.SCHEDULED


def test_marking_the_visit_holding_the_follow_ups_in_error_hands_them_over_booked(
    patient_record, staff, today
):
    holder = data.visit(patient_record, on=today - timedelta(7), toxin=long_minimum())
    other = data.visit(patient_record, on=today - timedelta(7))
    review = data.review_of(holder)
    booked_at = at(today + timedelta(20))
    services.followup_schedule(followup=review, scheduled_at=booked_at, actor=staff)
    mark_in_error(holder)
    shared = session_of(followups_of(patient_record, *OPEN))
    assert {f.source_visit for f in shared.values()} == {other}
    assert shared[FollowUp.Kind.REVIEW].pk == review.pk
    assert (shared[FollowUp.Kind.REVIEW].status, shared[FollowUp.Kind.REVIEW].scheduled_at) == (
        Status.SCHEDULED,
        booked_at,
    )
    # Computed from the visit that remains: Botox's 12 weeks, not the 16 of the other.
    assert window(shared[FollowUp.Kind.REINJECTION], today - timedelta(7)) == (84, 98)
    assert len(followups_of(patient_record)) == 2  # nothing cancelled, nothing new

    mark_in_error(holder, error=False)  # restored: still one of each, the booking kept
    shared = session_of(followups_of(patient_record, *OPEN))
    assert shared[FollowUp.Kind.REVIEW].scheduled_at == booked_at
    assert window(shared[FollowUp.Kind.REINJECTION], today - timedelta(7)) == (112, 126)


def test_marking_the_other_visit_in_error_recomputes_the_shared_follow_ups(patient_record, today):
    holder = data.visit(patient_record, on=today)
    other = data.visit(patient_record, on=today, toxin=long_minimum())
    assert window(data.reinjection_of(holder), today) == (112, 126)
    mark_in_error(other)
    shared = session_of(followups_of(patient_record))
    assert {f.source_visit for f in shared.values()} == {holder}
    assert {f.status for f in shared.values()} == {Status.DUE}
    assert window(shared[FollowUp.Kind.REINJECTION], today) == (84, 98)


def test_marking_both_in_error_cancels_the_follow_ups(patient_record, today):
    first = data.visit(patient_record, on=today)
    second = blepharospasm_visit(patient_record, today)
    mark_in_error(first)
    mark_in_error(second)
    assert {f.status for f in followups_of(patient_record)} == {Status.CANCELLED}
    assert len(followups_of(patient_record)) == 2


def test_a_visit_moved_away_gets_its_own_follow_ups_and_the_session_keeps_its_booking(
    patient_record, staff, today
):
    session_day = today - timedelta(10)
    holder = data.visit(patient_record, on=session_day)
    other = data.visit(patient_record, on=session_day, toxin=long_minimum())
    reinjection = data.reinjection_of(holder)
    booked_at = at(session_day + timedelta(115))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    move(holder, session_day - timedelta(1))  # its date was typed wrong: the day before
    reinjection.refresh_from_db()
    assert (reinjection.source_visit, reinjection.status, reinjection.scheduled_at) == (
        other,
        Status.SCHEDULED,
        booked_at,
    )
    assert window(reinjection, session_day) == (112, 126)  # from the visit that remains
    # The moved visit is an earlier session now: its own follow-ups, closed by the later one.
    moved = session_of(list(FollowUp.objects.filter(source_visit=holder)))
    assert {(f.status, f.status_reason) for f in moved.values()} == {
        (Status.DONE, f"Reinjected on {session_day.isoformat()}")
    }

    move(holder, session_day)  # back: one session again, the booked reinjection kept
    shared = session_of(followups_of(patient_record, *OPEN))
    assert shared[FollowUp.Kind.REINJECTION].pk == reinjection.pk
    # The moved visit's own (closed as superseded while it was earlier) are merged.
    merged = session_of(followups_of(patient_record, Status.CANCELLED))
    assert {(f.status_reason, f.source_visit) for f in merged.values()} == {(MERGED_REASON, holder)}
    assert len(followups_of(patient_record)) == 4


def test_a_moved_visit_later_than_its_session_supersedes_it(patient_record, today):
    first = data.visit(patient_record, on=today - timedelta(10))
    second = blepharospasm_visit(patient_record, today - timedelta(10))
    move(second, today)
    assert {f.status for f in FollowUp.objects.filter(source_visit=second)} == {Status.DUE}
    assert len(FollowUp.objects.filter(source_visit=second)) == 2
    assert {f.status_reason for f in FollowUp.objects.filter(source_visit=first)} == {
        f"Reinjected on {today.isoformat()}"
    }


def test_a_later_visit_supersedes_the_shared_follow_ups(patient_record, today):
    session_day = today - timedelta(90)
    data.visit(patient_record, on=session_day)
    blepharospasm_visit(patient_record, session_day)
    later = data.visit(patient_record, on=today)
    closed = followups_of(patient_record, Status.DONE)
    assert {f.status_reason for f in session_of(closed).values()} == {
        f"Reinjected on {today.isoformat()}"
    }
    assert {f.source_visit for f in followups_of(patient_record, *OPEN)} == {later}


def test_the_nightly_sweep_makes_one_set_per_session(patient_record, other_patient_record, today):
    day = today - timedelta(20)
    data.visit(patient_record, on=day, sync=False)
    blepharospasm_visit(patient_record, day, sync=False)
    data.visit(other_patient_record, on=day)  # synced already ...
    blepharospasm_visit(other_patient_record, day, sync=False)  # ... its session complete
    result = services.followups_sweep(now=timezone.now())
    assert result["visits"] == 1
    for patient in (patient_record, other_patient_record):
        session_of(followups_of(patient))
    assert services.followups_sweep(now=timezone.now())["visits"] == 0
    assert FollowUp.objects.count() == 4


def test_duplicates_from_before_are_merged_unless_booked(patient_record, staff, today):
    """As recorded before this rule: each visit of the session with its own follow-ups."""
    data.visit(patient_record, on=today)
    second = blepharospasm_visit(patient_record, today, sync=False)
    for followup in followups_of(patient_record):
        followup.pk, followup.uuid, followup.source_visit = None, uuid4(), second
        followup.save()
    first = InjectionVisit.objects.exclude(pk=second.pk).get()
    assert len(followups_of(patient_record, Status.DUE)) == 4
    booked = data.review_of(second)
    services.followup_schedule(followup=booked, scheduled_at=at(today + timedelta(30)), actor=staff)
    services.followups_sync_for_visit(visit=first)
    open_now = session_of(followups_of(patient_record, *OPEN))
    assert open_now[FollowUp.Kind.REVIEW].pk == booked.pk  # the booked one is kept
    assert {f.status_reason for f in followups_of(patient_record, Status.CANCELLED)} == {
        MERGED_REASON
    }


def test_the_queue_shows_one_row_for_the_session(client, staff, patient_record, today):
    session_day = today - timedelta(84)
    data.visit(patient_record, on=session_day)
    blepharospasm_visit(patient_record, session_day)
    client.force_login(staff)
    html = client.get(reverse("treatments:followup_queue"), {"show": "week"}).content.decode()
    reinjection = FollowUp.objects.get(patient=patient_record, kind=FollowUp.Kind.REINJECTION)
    # The session's review, overdue since, is owed this week too: one row of each kind.
    review = FollowUp.objects.get(patient=patient_record, kind=FollowUp.Kind.REVIEW)
    assert followups_listed(html) == [str(review.uuid), str(reinjection.uuid)]
    assert html.count(patient_record.full_name) == 2
