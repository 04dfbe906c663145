"""Review of the clinic-session follow-ups (one review, one reinjection per visit date):
defects a clinic would hit, each shown by a test that fails on main as merged."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from tests.treatments.followup_data import at, long_minimum
from treatments.models import FollowUp, InjectionVisit
from treatments.selectors import followups as selectors
from treatments.services import followups as services
from treatments.services.followup_sync import followup_windows

pytestmark = pytest.mark.django_db
Status = FollowUp.Status
Kind = FollowUp.Kind
OPEN = (Status.DUE, Status.SCHEDULED)
merge_0008 = importlib.import_module(
    "treatments.migrations.0008_merge_session_followup_duplicates"
).merge


def move(visit: InjectionVisit, to) -> None:
    previous, visit.date = visit.date, to
    visit.save()
    services.followups_sync_for_visit(visit=visit, moved_from=previous)


def owed_reinjections(patient) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(selectors.STILL_OWED, patient=patient, kind=Kind.REINJECTION)
    )


CONFLICT = "Booked before the minimum interval"


def shows_the_conflict(client, user, followup: FollowUp) -> dict[str, bool]:
    """Whether the queue's row (the "Scheduled" view) and the follow-up's page say the
    reinjection is booked before the session's "not before" date, naming that date."""
    earliest = selectors.followup_earliest(followup)
    named = f"not before {earliest.day} {earliest:%b %Y}"
    client.force_login(user)
    queue = client.get(reverse("treatments:followup_queue"), {"show": "scheduled"})
    row = queue.content.decode().split(f'data-followup="{followup.uuid}"')[1].split("</tr>")[0]
    page = client.get(
        reverse("treatments:followup_detail", kwargs={"followup_uuid": followup.uuid})
    ).content.decode()
    return {
        "queue": CONFLICT in row and named in row,
        "page": CONFLICT in page and named in page,
    }


def in_conflict(client, user, followup: FollowUp) -> bool:
    """The conflict as the selector, the queue and the page see it: all three agree."""
    followup.refresh_from_db()
    flagged = selectors.booked_before_minimum(followup)
    assert shows_the_conflict(client, user, followup) == {"queue": flagged, "page": flagged}
    return flagged


def old_rule_followups(visit: InjectionVisit) -> dict[str, FollowUp]:
    """What the release before the session rule wrote: the visit's own two follow-ups."""
    return {
        kind: FollowUp.objects.create(
            patient_id=visit.patient_id,
            source_visit=visit,
            kind=kind,
            due_from=window.due_from,
            due_until=window.due_until,
        )
        for kind, window in followup_windows(visit).items()
    }


# --- Minimum interval ------------------------------------------------------------------------


def test_a_product_added_to_a_session_leaves_its_booking_before_the_new_minimum_interval(
    client, patient_record, staff
):
    """Botox booked at 13 weeks; the same day's Longmin (16-week minimum) is recorded after:
    the one shared reinjection stays booked before Longmin's minimum with no reason, and
    nothing else of the session asks for 16 weeks (before the rule Longmin had its own).
    Owner's decision: the booking is neither moved nor dropped, the session is not split;
    the conflict is shown (selector, queue, page) until staff rebook on or after the date."""
    day = timezone.localdate() - timedelta(10)
    botox = data.visit(patient_record, on=day)
    reinjection = data.reinjection_of(botox)
    booked_at = at(day + timedelta(91))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    data.visit(patient_record, on=day, toxin=long_minimum())
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.SCHEDULED, booked_at)
    assert owed_reinjections(patient_record) == [reinjection]  # one session, one reinjection
    assert selectors.followup_earliest(reinjection) == day + timedelta(weeks=16)
    assert in_conflict(client, staff, reinjection)
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(weeks=16)), actor=staff
    )
    assert not in_conflict(client, staff, reinjection)


def test_migration_0008_merges_a_products_reinjection_into_a_booking_before_its_minimum(
    client, patient_record, staff, treating_neurologist
):
    """Old data: Botox and Longmin on one date, each its own reinjection; Botox's booked at
    13 weeks (allowed then). 0008 keeps the booked one and closes Longmin's (16 weeks):
    the session's reinjection is then booked before Longmin's minimum, with no reason.
    Owner's decision: the booking stays and the conflict is shown (and counted in the
    staff digest) until the treating neurologist records a reason for it."""
    day = timezone.localdate() - timedelta(10)
    botox = data.visit(patient_record, on=day, sync=False)
    longmin = data.visit(patient_record, on=day, toxin=long_minimum(), sync=False)
    botox_rows, longmin_rows = old_rule_followups(botox), old_rule_followups(longmin)
    FollowUp.objects.filter(pk=botox_rows[Kind.REINJECTION].pk).update(
        status=Status.SCHEDULED, scheduled_at=at(day + timedelta(91))
    )
    merge_0008(django_apps, None)
    assert FollowUp.objects.get(pk=longmin_rows[Kind.REINJECTION].pk).status == Status.CANCELLED
    kept = botox_rows[Kind.REINJECTION]
    assert owed_reinjections(patient_record) == [kept]
    assert in_conflict(client, staff, kept)
    assert selectors.digest_counts(timezone.localdate())["booked_early"] == 1
    services.followup_approve_early(
        followup=kept, neurologist=treating_neurologist, reason="Severe pain at 13 weeks"
    )
    assert not in_conflict(client, staff, kept)
    assert selectors.digest_counts(timezone.localdate())["booked_early"] == 0


def test_after_migration_0008_the_sweep_never_moves_the_kept_reinjection_past_every_minimum(
    patient_record,
):
    """Old data: Botox (12-week minimum) and Longmin (16) on one date, each its own due
    reinjection. 0008 keeps Botox's (first created) with its own 12-week window; the nightly
    sweep leaves it there, so the queue lists the session as due weeks before it may be
    booked ("Not before" 16 weeks)."""
    day = timezone.localdate() - timedelta(10)
    botox = data.visit(patient_record, on=day, sync=False)
    longmin = data.visit(patient_record, on=day, toxin=long_minimum(), sync=False)
    kept = old_rule_followups(botox)[Kind.REINJECTION]
    old_rule_followups(longmin)
    merge_0008(django_apps, None)
    services.followups_sweep(now=timezone.now())
    kept.refresh_from_db()
    assert kept.status == Status.DUE
    earliest = selectors.followup_earliest(kept)
    assert earliest == day + timedelta(weeks=16)
    assert kept.due_from >= earliest, f"due from {kept.due_from}, not before {earliest}"


# --- Corrections -----------------------------------------------------------------------------


def test_a_review_call_staff_marked_done_comes_back_due_after_a_date_correction(
    patient_record, staff
):
    """Two visits of one session, the second typed a day early (so recorded as an earlier
    visit, its review closed as superseded). Staff make the session's review call and mark
    it done; then the typo is corrected. The earlier-created, superseded review becomes the
    session's keeper and is reopened: the call staff already made is due again."""
    day = timezone.localdate() - timedelta(35)
    typo = data.visit(patient_record, on=day - timedelta(1), toxin=long_minimum())
    session = data.visit(patient_record, on=day)
    services.followup_set_status(
        followup=data.review_of(session), status=Status.DONE, reason="", actor=staff
    )
    move(typo, day)
    still_open = FollowUp.objects.filter(patient=patient_record, kind=Kind.REVIEW, status__in=OPEN)
    assert list(still_open.values_list("status", "status_reason")) == []


def test_a_product_moved_onto_a_session_leaves_its_booking_before_the_new_minimum_interval(
    client, patient_record, staff
):
    """As above, by a date correction: Longmin typed a day late is moved onto the Botox
    session whose reinjection is booked at 13 weeks; Longmin's own (16 weeks) is merged away
    and the booking before its minimum stays, with no reason asked. Owner's decision: the
    booking is kept, not split off, and shown as a conflict; staff cannot rebook before
    the date without a reason, and rebooking on it clears the conflict."""
    day = timezone.localdate() - timedelta(10)
    botox = data.visit(patient_record, on=day)
    reinjection = data.reinjection_of(botox)
    booked_at = at(day + timedelta(91))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    longmin = data.visit(patient_record, on=day + timedelta(1), toxin=long_minimum())
    move(longmin, day)
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.SCHEDULED, booked_at)
    assert owed_reinjections(patient_record) == [reinjection]
    assert in_conflict(client, staff, reinjection)
    with pytest.raises(ValidationError, match="minimum interval"):
        services.followup_schedule(
            followup=reinjection, scheduled_at=at(day + timedelta(100)), actor=staff
        )
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(weeks=17)), actor=staff
    )
    assert not in_conflict(client, staff, reinjection)


def test_a_missed_reinjection_moved_into_a_session_leaves_two_reinjections_owed(
    patient_record, staff
):
    """A visit typed on the wrong (earlier) date, created first; the session's visit
    recorded after it holds the reinjection, which is booked and then missed. When the
    typo is corrected, the first-created (superseded) reinjection is kept and reopened as
    due, and the missed one stays to rebook: staff see two reinjections for one session."""
    day = timezone.localdate() - timedelta(120)
    typo = data.visit(patient_record, on=day - timedelta(3))
    session = data.visit(patient_record, on=day, toxin=long_minimum())
    FollowUp.objects.filter(pk=data.reinjection_of(session).pk).update(
        status=Status.MISSED,
        scheduled_at=at(day + timedelta(113)),
        status_reason="Not marked done within a week of the appointment",
    )
    move(typo, day)
    owed = owed_reinjections(patient_record)
    assert len(owed) == 1, [(f.status, f.source_visit_id) for f in owed]


def test_an_early_reason_given_for_one_product_lets_staff_book_before_anothers_minimum(
    patient_record, staff, treating_neurologist
):
    """The neurologist stores a reason to reinject the Botox session early (its "Not before"
    was 12 weeks). The same day's Longmin visit (16-week minimum) is recorded after: the
    reason stored for Botox alone now lets staff book the session at 10 weeks, before
    Longmin's minimum, though no one gave a reason for that product."""
    day = timezone.localdate() - timedelta(10)
    botox = data.visit(patient_record, on=day)
    reinjection = data.reinjection_of(botox)
    services.followup_approve_early(
        followup=reinjection, neurologist=treating_neurologist, reason="Severe pain at 10 weeks"
    )
    data.visit(patient_record, on=day, toxin=long_minimum())
    with pytest.raises(ValidationError, match="minimum interval"):
        services.followup_schedule(
            followup=reinjection, scheduled_at=at(day + timedelta(70)), actor=staff
        )


# --- Notices ---------------------------------------------------------------------------------


def pending_booking_notices(followup: FollowUp) -> int:
    return Delivery.objects.filter(
        kind=notify.APPOINTMENT_BOOKED, key__startswith=f"{followup.uuid}@", sent_at__isnull=True
    ).count()


def test_a_session_visit_typed_a_day_late_and_corrected_drops_the_booking_notice(
    patient_record, staff, published
):
    """The session's reinjection is booked (notice pending). The session's second visit is
    typed a day late: for a moment it is a later visit, which closes the booking as
    superseded and withdraws its notice. Corrected to the session's date, the booking is
    open again (scheduled) but its notice is gone: the patient is never told of it.
    (The drop-then-reopen path predates sessions; sessions make this typo common.)"""
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(120)), actor=staff
    )
    assert pending_booking_notices(reinjection) == 1
    second = data.visit(patient_record, on=day + timedelta(1), toxin=long_minimum())
    move(second, day)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED
    assert pending_booking_notices(reinjection) == 1
