"""Reading follow-ups: the queue, one follow-up, and what the notification scan finds due.

Which follow-ups a user sees is the ADMINISTRATIVE patient scope (patients/access.py):
staff all, neurologists their care team's patients, patients and admins none through the
queue (their role is refused before this is reached). Rows carry the patient's name and
contact details and the due window only: no diary, doses or notes are selected.
(The calendar feed reads through calendar.py, the nightly sweep through followup_sweep.py.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clinic.models import Delivery, User
from clinic.notify import STAFF_DIGEST, reachable
from patients.access import Purpose, patients_visible_to
from patients.models import Patient
from patients.selectors.patients import WITHOUT_ACTIVE_NEUROLOGIST, care_team_label
from treatments.cycles import Verdict
from treatments.followups import (
    Timeline,
    earliest_reinjection,
    session_earliest_reinjection,
)
from treatments.models import (
    CycleSummary,
    FollowUp,
    InjectionVisit,
    ProductTimeline,
    ToxinProduct,
)
from treatments.selectors.visits import session_visits

Status = FollowUp.Status
OPEN_STATUSES = (Status.DUE, Status.SCHEDULED)
# A reinjection whose appointment was missed is still owed: its page offers to rebook it,
# the queue lists it, and the patient's next visit closes it as done, as it closes an open
# one ("Reinjected on …"). A missed review call is over.
MISSED_REINJECTION = Q(status=Status.MISSED, kind=FollowUp.Kind.REINJECTION)
STILL_OWED = Q(status__in=OPEN_STATUSES) | MISSED_REINJECTION
# The queue, the digest and the appointment reminders are for patients still under the
# clinic's care: one who left (discharged, moved away, transferred, died) is left out.
UNDER_CARE = Q(patient__left_care_on__isnull=True)
QUEUE_PAGE_SIZE = 50
# Appointment reminders go out this long before the booked time.
APPOINTMENT_REMINDER_BEFORE = timedelta(hours=48)
# Cycles that ended (or were last analysed up to) this many days ago still alert.
CYCLE_ALERT_LOOKBACK_DAYS = 14
ALERT_VERDICTS = (Verdict.EARLY_WEAR_OFF, Verdict.NO_RESPONSE)
# Only what the queue shows is read from the patient row.
PATIENT_FIELDS = ("uuid", "first_name", "last_name", "phone", "email")


class Section(StrEnum):
    """The queue's views: they overlap (an overdue follow-up is also not yet scheduled).

    MISSED holds the missed reinjections to rebook: every one of them, paged like the
    others (the first page of them is also listed above every other view).
    """

    WEEK = "week"
    OVERDUE = "overdue"
    UNSCHEDULED = "unscheduled"
    SCHEDULED = "scheduled"
    MISSED = "missed"


SECTION_LABELS: dict[Section, str] = {
    Section.WEEK: "Due this week",
    Section.OVERDUE: "Overdue",
    Section.UNSCHEDULED: "Not yet scheduled",
    Section.SCHEDULED: "Scheduled",
    Section.MISSED: "Missed reinjections to rebook",
}


def week_end(today: date) -> date:
    """The Sunday ending ``today``'s week (ISO weeks start on Monday)."""
    return today + timedelta(days=6 - today.weekday())


def window_this_week(today: date) -> Q:
    """Open follow-ups whose window is open at some day from ``today`` to Sunday (the
    digest's "due this week", counted apart from the overdue)."""
    return Q(status=Status.DUE, due_from__lte=week_end(today), due_until__gte=today)


def section_filter(section: Section, today: date) -> Q:
    """The rows of one queue view, as a filter on FollowUp.

    "Due this week" holds the overdue too: they are owed now, more than any other (each
    view of open follow-ups lists them first, ``section_order``)."""
    due = Q(status=Status.DUE)
    if section == Section.WEEK:
        return due & Q(due_from__lte=week_end(today))
    if section == Section.OVERDUE:
        return due & Q(due_until__lt=today)
    if section == Section.UNSCHEDULED:
        return due
    if section == Section.MISSED:
        return MISSED_REINJECTION
    return Q(status=Status.SCHEDULED)


def section_order(section: Section) -> tuple[str, ...]:
    """The order of one queue view's rows, ending with the key (a total order for paging).

    Bookings by their time; missed reinjections by their window; follow-ups not yet booked
    by the end of their window, so the overdue come first whatever day their window opened
    (the partial index ``followup_open_queue_idx`` is read in this order)."""
    if section == Section.SCHEDULED:
        return ("scheduled_at", "due_from", "pk")
    if section == Section.MISSED:
        return ("due_from", "pk")
    return ("due_until", "due_from", "pk")


def followups_visible_to(user) -> QuerySet[FollowUp]:
    """Every follow-up of the patients ``user`` may see for administrative purposes."""
    return FollowUp.objects.filter(patient__in=patients_visible_to(user, Purpose.ADMINISTRATIVE))


def followup_for(user, followup_uuid: uuid.UUID | str) -> FollowUp:
    """One follow-up in ``user``'s scope (with its patient and visit), else 404."""
    try:
        return (
            followups_visible_to(user)
            .select_related("patient", "source_visit", "early_approved_by", "assignee")
            .get(uuid=followup_uuid)
        )
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404("No such follow-up") from None


def patient_gets_messages(followup: FollowUp) -> bool:
    """Whether the clinic's messages reach the follow-up's patient (an account that can sign
    in): without one, no booking notice, reminder or cancellation is sent, and staff must
    tell the patient themselves."""
    return reachable(followup.patient.user)


def timeline_of(product_id: int, indication: str) -> Timeline | None:
    """The catalog timeline of a product for an indication, or None when there is none."""
    row = ProductTimeline.objects.filter(product_id=product_id, indication=indication).first()
    return None if row is None else as_timeline(row)


def as_timeline(row: ProductTimeline) -> Timeline:
    return Timeline(
        peak_weeks=(row.peak_weeks_low, row.peak_weeks_high),
        duration_weeks_typical=row.duration_weeks_typical,
        min_interval_weeks=row.min_interval_weeks,
    )


def timelines_by_product() -> dict[tuple[int, str], Timeline]:
    """All catalog timelines keyed by (product id, indication): one query, a small catalog.

    Reads the five columns a Timeline needs as tuples, unordered (no model instances and
    no join to the product for the catalog's default ordering).
    """
    rows = ProductTimeline.objects.order_by().values_list(
        "product_id",
        "indication",
        "peak_weeks_low",
        "peak_weeks_high",
        "duration_weeks_typical",
        "min_interval_weeks",
    )
    return {
        (product_id, indication): Timeline(
            peak_weeks=(peak_low, peak_high),
            duration_weeks_typical=duration,
            min_interval_weeks=min_interval,
        )
        for product_id, indication, peak_low, peak_high, duration, min_interval in rows
    }


def earliest_without_approval(
    followup: FollowUp, timelines: Sequence[Timeline | None]
) -> date | None:
    """First date a reinjection may be booked without the neurologist's reason; else None.

    ``timelines`` are those of every visit of the follow-up's session (the patient's visits
    on its visit's date, ``session_products``): the latest of their minimum intervals holds.
    """
    visit = followup.source_visit
    if followup.kind != FollowUp.Kind.REINJECTION or visit is None:
        return None
    return session_earliest_reinjection(visit.date, timelines)


def session_products(followup: FollowUp) -> set[tuple[int, str]]:
    """(product id, indication) of every visit of the follow-up's session, its own visit's
    included (even when that one is in error, so a closed follow-up still reads one)."""
    visit = followup.source_visit
    if visit is None:
        return set()
    pairs = session_visits(patient_id=visit.patient_id, day=visit.date).values_list(
        "product_id", "indication"
    )
    return {(visit.product_id, visit.indication), *pairs}


def session_timelines(followup: FollowUp) -> list[Timeline | None]:
    """The catalog timelines of the follow-up's session (``session_products``)."""
    return [timeline_of(product_id, ind) for product_id, ind in sorted(session_products(followup))]


def followup_earliest(followup: FollowUp) -> date | None:
    """``earliest_without_approval`` reading the timelines of the follow-up's session."""
    if followup.source_visit is None:
        return None
    return earliest_without_approval(followup, session_timelines(followup))


def early_approval_counts(followup: FollowUp, earliest: date | None) -> bool:
    """Whether the neurologist's stored reason to reinject early holds against the
    session's "not before" date ``earliest`` (``followup_earliest``) as it is now.

    A reason counts for the date it was given against (``early_approved_for``): when a
    product with a longer minimum interval joins the session later, that date moves later
    and a new reason is needed. One stored before this date was recorded (null) counts.
    """
    if followup.early_approved_by_id is None:
        return False
    given_for = followup.early_approved_for
    return given_for is None or earliest is None or earliest <= given_for


def booked_before(followup: FollowUp, earliest: date | None) -> bool:
    """The rule of ``booked_before_minimum`` given the session's "not before" date: only an
    appointment still ahead (one past is recorded as a visit, or marked missed)."""
    return (
        followup.kind == FollowUp.Kind.REINJECTION
        and followup.status == Status.SCHEDULED
        and followup.scheduled_at is not None
        and followup.scheduled_at > timezone.now()  # a time past is done or soon missed
        and earliest is not None
        and timezone.localtime(followup.scheduled_at).date() < earliest
        and not early_approval_counts(followup, earliest)
    )


def booked_before_minimum(followup: FollowUp) -> bool:
    """A booked reinjection whose appointment falls before its session's "not before" date
    with no reason that counts (``early_approval_counts``): a product with a longer
    minimum interval joined the session after it was booked. Nothing moves or drops the
    booking; staff see the conflict (queue, detail page, digest) and rebook, or the
    neurologist records a reason. (A missed one is rebooked anyway, through the check.)"""
    return booked_before(followup, followup_earliest(followup))


def products_after(followup: FollowUp, day: date) -> list[str]:
    """Brand names of the session's products whose own minimum interval ends after ``day``
    (those that made a reason given against ``day`` no longer count); sorted."""
    visit = followup.source_visit
    if visit is None:
        return []
    names = set()
    for product_id, indication in session_products(followup):
        earliest = earliest_reinjection(visit.date, timeline_of(product_id, indication))
        if earliest is not None and earliest > day:
            names.add(ToxinProduct.objects.get(pk=product_id).brand_name)
    return sorted(names)


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue: what staff need to call and book, nothing clinical."""

    followup: FollowUp
    earliest: date | None
    overdue: bool
    neurologists: tuple[str, ...]
    # Booked before ``earliest`` with no reason that counts (``booked_before_minimum``).
    booked_early: bool = False
    # The neurologist's reason to reinject early counts (``early_approval_counts``).
    early_allowed: bool = False

    @property
    def patient(self):
        return self.followup.patient


@dataclass(frozen=True)
class QueuePage:
    section: Section
    counts: dict[Section, int]
    page: Page
    rows: list[QueueRow]
    # The first page of missed reinjections to rebook, above every other view (kept out of
    # the views' own queries: an OR there defeats the index that gives the views their
    # order); all of them are in their own view, Section.MISSED.
    missed: list[QueueRow] = field(default_factory=list)

    @property
    def missed_total(self) -> int:
        """Every missed reinjection to rebook, not only those listed above the view."""
        return self.counts[Section.MISSED]


class CountedPaginator(Paginator):
    """A paginator told its row count, which the section counts already hold (no COUNT query)."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def queue_counts(followups: QuerySet[FollowUp], today: date) -> dict[Section, int]:
    """How many rows each view has: one aggregate query.

    Every view holds follow-ups still owed only (open ones and missed reinjections), so the
    scan is narrowed to them first: the indexes on status then skip the done and cancelled
    history (most of a clinic's follow-ups) instead of reading the whole table.
    """
    totals = followups.filter(STILL_OWED).aggregate(
        **{section.value: Count("pk", filter=section_filter(section, today)) for section in Section}
    )
    return {section: totals[section.value] for section in Section}


def followup_queue(
    *,
    user,
    today: date,
    section: Section = Section.WEEK,
    neurologist: User | None = None,
    without_neurologist: bool = False,
    page_number: str | int | None = None,
) -> QueuePage:
    """The follow-up queue of ``user`` for one view, paginated.

    A constant number of queries whatever the size: counts, page count, the page's rows
    (patient and visit joined), the first page of missed reinjections to rebook (not on
    their own view, which pages them all), the care teams of their patients, and the
    catalog. ``neurologist`` narrows to the patients on that
    neurologist's care team; ``without_neurologist`` to the patients with no active
    neurologist on it (``WITHOUT_ACTIVE_NEUROLOGIST``).
    """
    followups = followups_visible_to(user).filter(UNDER_CARE)
    if neurologist is not None:
        followups = followups.filter(patient__care_team=neurologist)
    if without_neurologist:
        orphans = Patient.objects.filter(WITHOUT_ACTIVE_NEUROLOGIST).values("pk")
        followups = followups.filter(patient__in=orphans)
    counts = queue_counts(followups, today)
    rows = _queue_rows(followups.filter(section_filter(section, today)))
    rows = rows.order_by(*section_order(section))
    page = CountedPaginator(rows, QUEUE_PAGE_SIZE, count=counts[section]).get_page(page_number)
    missed = []
    if section != Section.MISSED:  # that view lists them itself
        missed = list(
            _queue_rows(followups.filter(MISSED_REINJECTION)).order_by("due_from", "pk")[
                :QUEUE_PAGE_SIZE
            ]
        )
    shown = [*page.object_list, *missed]
    timelines = timelines_by_product() if shown else {}
    sessions = _sessions_of(shown)
    return QueuePage(
        section,
        counts,
        page,
        [_row(f, today, timelines, sessions) for f in page.object_list],
        [_row(f, today, timelines, sessions) for f in missed],
    )


Session = tuple[int, date]  # (patient id, visit date)


def _sessions_of(followups: Iterable[FollowUp]) -> dict[Session, set[tuple[int, str]]]:
    """(product id, indication) of the visits of the sessions of the shown reinjections:
    one query (none without a reinjection), for their "not before" date."""
    wanted = {
        (f.patient_id, f.source_visit.date)
        for f in followups
        if f.kind == FollowUp.Kind.REINJECTION and f.source_visit is not None
    }
    if not wanted:
        return {}
    sessions: dict[Session, set[tuple[int, str]]] = {}
    rows = (
        InjectionVisit.objects.filter(
            entered_in_error=False,
            patient_id__in={p for p, _ in wanted},
            date__in={d for _, d in wanted},
        )
        .order_by()
        .values_list("patient_id", "date", "product_id", "indication")
    )
    for patient_id, day, product_id, indication in rows:
        if (patient_id, day) in wanted:
            sessions.setdefault((patient_id, day), set()).add((product_id, indication))
    return sessions


def _queue_rows(followups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """What a queue row reads: the follow-up, its patient's name and contact, its visit."""
    return (
        followups.select_related("patient", "source_visit")
        .only(
            "uuid",
            "kind",
            "due_from",
            "due_until",
            "scheduled_at",
            "status",
            "early_approved_by",
            "early_approved_for",
            "source_visit__date",
            "source_visit__product_id",
            "source_visit__indication",
            *(f"patient__{name}" for name in PATIENT_FIELDS),
        )
        .prefetch_related(
            Prefetch(
                "patient__care_team",
                # By surname, as the neurologist filter lists them (the key last: a total
                # order, the same names in the same order on every load).
                queryset=User.objects.only(
                    "first_name", "last_name", "username", "is_active", "role"
                ).order_by("last_name", "first_name", "username", "pk"),
                to_attr="care_team_list",  # a list: no manager and queryset per row
            )
        )
    )


def _row(
    followup: FollowUp,
    today: date,
    timelines: dict[tuple[int, str], Timeline],
    sessions: dict[Session, set[tuple[int, str]]],
) -> QueueRow:
    earliest = _earliest_read(followup, timelines, sessions)
    return QueueRow(
        followup=followup,
        earliest=earliest,
        overdue=followup.status in (Status.DUE, Status.MISSED) and followup.due_until < today,
        neurologists=tuple(care_team_label(n) for n in followup.patient.care_team_list),
        booked_early=booked_before(followup, earliest),
        early_allowed=early_approval_counts(followup, earliest),
    )


def _earliest_read(
    followup: FollowUp,
    timelines: dict[tuple[int, str], Timeline],
    sessions: dict[Session, set[tuple[int, str]]],
) -> date | None:
    """``followup_earliest`` from what was read at once (``timelines_by_product``,
    ``_sessions_of``) instead of a query per follow-up."""
    visit = followup.source_visit
    products = set()
    if visit is not None:
        products = {(visit.product_id, visit.indication)}
        products |= sessions.get((followup.patient_id, visit.date), set())
    return earliest_without_approval(followup, [timelines.get(p) for p in products])


def booked_early_count() -> int:
    """How many booked reinjections are booked before their session's minimum interval
    (``booked_before_minimum``): three queries, reading booked reinjections only."""
    booked = list(
        FollowUp.objects.filter(
            UNDER_CARE,
            status=Status.SCHEDULED,
            kind=FollowUp.Kind.REINJECTION,
            source_visit__isnull=False,
            scheduled_at__gt=timezone.now(),
        )
        .select_related("source_visit")
        .only(
            "patient",
            "kind",
            "status",
            "scheduled_at",
            "early_approved_by",
            "early_approved_for",
            "source_visit__date",
            "source_visit__product_id",
            "source_visit__indication",
        )
    )
    if not booked:
        return 0
    timelines, sessions = timelines_by_product(), _sessions_of(booked)
    return sum(booked_before(f, _earliest_read(f, timelines, sessions)) for f in booked)


def neurologists_for_filter() -> QuerySet[User]:
    """Active neurologists, for the queue's filter."""
    return User.objects.filter(role=User.Role.NEUROLOGIST, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


# --- What the notification scan finds due -----------------------------------------------


def appointments_needing_reminder(now: datetime) -> QuerySet[FollowUp]:
    """Scheduled follow-ups starting within 48 hours whose patient has an active account
    and that are not yet reminded (a booking made inside the 48 hours counts as reminded
    by its notice: ``followup_schedule``)."""
    return (
        FollowUp.objects.filter(
            status=Status.SCHEDULED,
            scheduled_at__gt=now,
            scheduled_at__lte=now + APPOINTMENT_REMINDER_BEFORE,
            reminder_sent_at__isnull=True,
            patient__user__is_active=True,
            patient__left_care_on__isnull=True,
        )
        .select_related("patient")
        .only(
            "uuid",
            "kind",
            "scheduled_at",
            "bookings",
            "reminder_sent_at",
            "patient__user_id",
            "patient__time_zone",
        )
    )


def digest_counts(today: date) -> dict[str, int]:
    """Clinic-wide counts for the staff's morning digest: overdue, due this week unbooked,
    missed reinjections to rebook, reinjections booked before the minimum interval, and
    patients with no active neurologist on their care team."""
    totals = FollowUp.objects.filter(UNDER_CARE).aggregate(
        overdue=Count("pk", filter=section_filter(Section.OVERDUE, today)),
        unscheduled=Count("pk", filter=window_this_week(today)),
        missed=Count("pk", filter=MISSED_REINJECTION),
    )
    counts = {key: totals[key] for key in ("overdue", "unscheduled", "missed")}
    without = Patient.objects.filter(WITHOUT_ACTIVE_NEUROLOGIST).count()
    return {**counts, "booked_early": booked_early_count(), "without_neurologist": without}


def staff_recipients() -> QuerySet[User]:
    return User.objects.filter(role=User.Role.STAFF, is_active=True).only("pk")


def staff_awaiting_digest(day: date) -> list[User]:
    """Active staff with no digest recorded for ``day`` yet (its key is the date): one
    query, so the every-minute scan counts follow-ups only until each has had it."""
    recorded = Delivery.objects.filter(
        kind=STAFF_DIGEST, key=day.isoformat(), recipient_id=OuterRef("pk")
    )
    return list(staff_recipients().exclude(Exists(recorded)))


def cycles_to_alert(today: date) -> QuerySet[CycleSummary]:
    """Recent cycles whose verdict is early wear-off or no response, with their care teams;
    none of a patient who left the clinic's care (nothing to act on)."""
    return (
        CycleSummary.objects.filter(
            UNDER_CARE,
            verdict__in=[str(v) for v in ALERT_VERDICTS],
            end_date__gte=today - timedelta(days=CYCLE_ALERT_LOOKBACK_DAYS),
        )
        # A summary outlives its visit's in-error mark until the recompute runs.
        .exclude(visit__entered_in_error=True)
        .select_related("patient")
        .only(
            "injection_date",
            "verdict",
            "patient__uuid",
            "patient__first_name",
            "patient__last_name",
        )
        .prefetch_related(
            Prefetch(
                "patient__care_team",
                # A member whose role changed (say to staff) sees no clinical data.
                queryset=User.objects.filter(is_active=True, role=User.Role.NEUROLOGIST).only("pk"),
            )
        )
    )
