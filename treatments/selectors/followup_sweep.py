"""What the nightly follow-up sweep reads (treatments/services/followups.py
``followups_sweep``): coarse filters; ``followups_sync_for_visit`` decides."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from treatments.followups import SUPERSEDED_PREFIX
from treatments.models import FollowUp, InjectionVisit
from treatments.selectors.followups import STILL_OWED


def recent_visits_without_followups(since: date) -> QuerySet[InjectionVisit]:
    """Visits since ``since`` (not in error) whose session (the patient's visits on that
    date, not in error) lacks a review or a reinjection follow-up; oldest first.

    The session's follow-ups are held by one of its visits: the others have none of their
    own and are not missing any. A session with two such visits lists both; the sweep syncs
    the session once.
    """

    def session_has(kind: str) -> Exists:
        return Exists(
            FollowUp.objects.filter(
                kind=kind,
                source_visit__patient_id=OuterRef("patient_id"),
                source_visit__date=OuterRef("date"),
                source_visit__entered_in_error=False,
            )
        )

    missing = ~session_has(FollowUp.Kind.REVIEW) | ~session_has(FollowUp.Kind.REINJECTION)
    return (
        InjectionVisit.objects.filter(date__gte=since, entered_in_error=False)
        .filter(missing)
        .order_by("date", "created", "pk")
    )


def visits_with_open_followups_and_a_later_visit() -> QuerySet[InjectionVisit]:
    """Visits (not in error) with a follow-up still owed (open, or a missed reinjection)
    although the patient has a later visit.

    A coarse filter for the nightly sweep: ``followups_sync_for_visit`` decides which of
    those follow-ups the later visit closes (a booked review call stays open).
    """
    later = InjectionVisit.objects.filter(
        patient_id=OuterRef("patient_id"), entered_in_error=False, date__gt=OuterRef("date")
    )
    open_sources = FollowUp.objects.filter(STILL_OWED, source_visit__isnull=False).values(
        "source_visit_id"
    )
    return (
        InjectionVisit.objects.filter(pk__in=open_sources, entered_in_error=False)
        .filter(Exists(later))
        .order_by("date", "pk")
    )


def visits_with_followups_closed_by_a_visit_now_gone() -> QuerySet[InjectionVisit]:
    """Visits (not in error) with a follow-up closed as superseded by a later visit
    (``superseded_reason``) although the patient has no later visit any more.

    A date correction or an in-error mark re-syncs the other visits after commit; when that
    failed, the visit now latest would keep its reinjection closed, naming a visit that is
    gone. The nightly sweep re-syncs these (``followups_sync_for_visit`` reopens them).
    """
    later = InjectionVisit.objects.filter(
        patient_id=OuterRef("patient_id"), entered_in_error=False, date__gt=OuterRef("date")
    )
    closed_as_superseded = FollowUp.objects.filter(
        status=FollowUp.Status.DONE,
        status_reason__startswith=SUPERSEDED_PREFIX,
        source_visit__isnull=False,
    ).values("source_visit_id")
    return (
        InjectionVisit.objects.filter(pk__in=closed_as_superseded, entered_in_error=False)
        .exclude(Exists(later))
        .order_by("date", "pk")
    )


def shared_sessions_with_owed_followups(since: date) -> QuerySet[InjectionVisit]:
    """Visits since ``since`` (not in error) holding a follow-up still owed whose session
    has another visit (not in error): two products or indications on one date, rare.

    Their windows must be those of the whole session; rows merged by migration 0008, or
    written before the session rule, kept one visit's own. The sweep re-syncs each such
    session (a no-op write-wise when its windows already agree).
    """
    other = InjectionVisit.objects.filter(
        patient_id=OuterRef("patient_id"), date=OuterRef("date"), entered_in_error=False
    ).exclude(pk=OuterRef("pk"))
    owed = FollowUp.objects.filter(STILL_OWED, source_visit__date__gte=since).values(
        "source_visit_id"
    )
    return (
        InjectionVisit.objects.filter(pk__in=owed, entered_in_error=False)
        .filter(Exists(other))
        .order_by("date", "pk")
    )
