"""Reads shared by the cycle-summary service and the chart pages: a patient's diary, their
injection visits and the expected timelines those visits are compared with, and the
analysis of all of it with the pure functions of ``treatments.cycles``.

Everything here costs a fixed number of queries whatever the diary's length: one for the
diary, one for the visits (with their per-visit unit totals), one for the timelines.

Units: a visit's total is the sum of its sites' units, all of the visit's one product.
Totals are labelled with that product and never added across visits or products.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from patients.days import patient_today, patient_zone
from patients.models import AffectedRegion, DiaryEntry, Patient
from treatments.charts import InjectionMark
from treatments.cycles import CycleResult, ExpectedTimeline, analyse_cycles
from treatments.models import Indication, InjectionSite, InjectionVisit, ProductTimeline
from treatments.profiles import (
    PersonalProfile,
    counts_alone,
    personal_profile,
    profiles_by_timeline,
)
from treatments.selectors.injected_regions import (
    Judged,
    RegionSeverities,
    affected_regions,
    judged_series,
    region_severities,
    regions_reached,
)

# Used only when the catalog has no row for a visit's product and indication. These are
# TIMELINE.md's values for type A toxins in cervical dystonia and limb dystonia (the
# most common indications); the label says plainly that it is a stand-in, so every
# chart still states what it compared against.
FALLBACK_ONSET_DAYS = (3, 7, 14)
FALLBACK_PEAK_WEEKS = (4.0, 6.0)
FALLBACK_DURATION_WEEKS = (10.0, 12.0, 16.0)
FALLBACK_MIN_INTERVAL_WEEKS = 12

# Days of diary adherence shown on the start page.
ADHERENCE_DAYS = 14

TimelineKey = tuple[int, str]  # (product id, indication)


def analysis_today(
    patient: Patient, now: datetime | None = None, *, last_visit: date | None = None
) -> date:
    """The date the cycles are analysed up to, and days since an injection counted to: the
    patient's own date (``patient_today``), or the date of their last visit when that is
    later (``last_visit``, not after the clinic's date).

    A visit's date is the clinic's (it may not be after the clinic's today), so a visit
    recorded this morning counts at once, as day 0, for a patient west of the clinic whose
    date is still yesterday; otherwise the count never runs to a day the patient has not
    begun ("still effective on day 9" on their day 8). A patient east of the clinic may
    have logged a diary day the clinic still calls tomorrow: their date is the later.
    """
    moment = now or timezone.now()
    own = patient_today(patient, moment)
    if last_visit is not None and own < last_visit <= timezone.localdate(moment):
        return last_visit
    return own


def diary_severity(patient: Patient) -> dict[date, float]:
    """Overall severity (0-10) per logged day, for the whole diary. One query."""
    rows = DiaryEntry.objects.filter(patient=patient).order_by().values_list("date", "severity")
    return {day: float(severity) for day, severity in rows}


def injection_visits(patient: Patient, *, with_sites: bool = False) -> list[InjectionVisit]:
    """The patient's visits in date order, without those entered in error.

    Each carries ``total_units`` (Decimal, the sum of its sites, in its own product's
    units; None without sites). One query, two with ``with_sites`` (the sites with their
    muscles, in the sites' own order): then the totals are added up from the sites read
    anyway, the same exact Decimal sum as the database's, without a GROUP BY query.
    """
    visits: QuerySet[InjectionVisit] = (
        InjectionVisit.objects.filter(patient=patient, entered_in_error=False)
        .select_related("product")
        .order_by("date", "created", "pk")
    )
    if not with_sites:
        return list(visits.annotate(total_units=Sum("sites__units")))
    sites = Prefetch("sites", queryset=InjectionSite.objects.select_related("muscle"))
    found = list(visits.prefetch_related(sites))
    for visit in found:
        units = [site.units for site in visit.sites.all()]
        visit.total_units = sum(units, Decimal(0)) if units else None
    return found


def expected_label(product_brand: str, indication: str) -> str:
    """ "Botox, cervical dystonia": what a chart says it compared against."""
    name = str(Indication(indication).label)
    return f"{product_brand}, {name[:1].lower()}{name[1:]}"


def to_expected(timeline: ProductTimeline, brand: str) -> ExpectedTimeline:
    """The catalog row as the pure analysis takes it (weeks and days as stored)."""
    return ExpectedTimeline(
        onset_days=(
            timeline.onset_days_low,
            timeline.onset_days_typical,
            timeline.onset_days_high,
        ),
        peak_weeks=(float(timeline.peak_weeks_low), float(timeline.peak_weeks_high)),
        duration_weeks=(
            float(timeline.duration_weeks_low),
            float(timeline.duration_weeks_typical),
            float(timeline.duration_weeks_high),
        ),
        min_interval_weeks=timeline.min_interval_weeks,
        label=expected_label(brand, timeline.indication),
    )


def fallback_expected(
    brand: str, indication: str, *, serotype: str = "A", own: ProductTimeline | None = None
) -> ExpectedTimeline:
    """A stand-in when the catalog lacks the product + indication; its label says so.

    ``own`` is the same product's timeline for another indication (its cervical dystonia
    row first): a product's own onset and duration are nearer than another product's, and
    a type B toxin (Myobloc/NeuroBloc, slower onset and longer effect) is never compared
    with type A values as if they were its own. Without one, the general type A values of
    TIMELINE.md stand in, and for a type B product the label says they may not apply.
    """
    label = expected_label(brand, indication)
    if own is not None:
        other = expected_label(brand, own.indication).removeprefix(f"{brand}, ")
        return replace(
            to_expected(own, brand),
            label=f"{label} (no catalog entry: {brand}'s {other} values used)",
        )
    note = "general type A values used"
    if serotype != "A":
        note += f"; this product is type {serotype}, so they may not apply"
    return ExpectedTimeline(
        onset_days=FALLBACK_ONSET_DAYS,
        peak_weeks=FALLBACK_PEAK_WEEKS,
        duration_weeks=FALLBACK_DURATION_WEEKS,
        min_interval_weeks=FALLBACK_MIN_INTERVAL_WEEKS,
        label=f"{label} (no catalog entry: {note})",
    )


def _own_timelines(product_ids: set[int]) -> dict[int, ProductTimeline]:
    """Per product, the timeline a missing indication falls back to: its cervical dystonia
    row, else its first in the catalog's order of indications. One query."""
    order = [str(value) for value in Indication.values]
    chosen: dict[int, ProductTimeline] = {}
    for row in ProductTimeline.objects.filter(product_id__in=product_ids):
        kept = chosen.get(row.product_id)
        if kept is None or order.index(row.indication) < order.index(kept.indication):
            chosen[row.product_id] = row
    return chosen


def expected_timelines(visits: Sequence[InjectionVisit]) -> dict[TimelineKey, ExpectedTimeline]:
    """The expected timeline of every (product, indication) among ``visits``. One query
    (none without visits), two when a pair is missing from the catalog: it gets
    ``fallback_expected``, from the same product's other indication where there is one."""
    products = {(v.product_id, v.indication): v.product for v in visits}
    if not products:
        return {}
    condition = Q()
    for product_id, indication in products:
        condition |= Q(product_id=product_id, indication=indication)
    found = {
        (t.product_id, t.indication): to_expected(
            t, products[(t.product_id, t.indication)].brand_name
        )
        for t in ProductTimeline.objects.filter(condition)
    }
    missing = {key for key in products if key not in found}
    own = _own_timelines({product_id for product_id, _ in missing}) if missing else {}
    for key in missing:
        product = products[key]
        found[key] = fallback_expected(
            product.brand_name, key[1], serotype=product.serotype, own=own.get(key[0])
        )
    return {key: found[key] for key in products}  # in the visits' order


def units_text(units: Decimal | None) -> str:
    """ "240 U" from Decimal("240.00"); "" when a visit has no sites recorded."""
    if units is None:
        return ""
    text = format(units.normalize(), "f")
    return f"{text} U"


def injection_marks(visits: Sequence[InjectionVisit]) -> list[InjectionMark]:
    """One mark per injection date, labelled with each visit's product and its own total.

    Two visits on one day (two products, or one product in two indications) are listed
    side by side, never added up; a product given twice that day names each visit's
    indication ("Botox for cervical dystonia"), so the units say where they went.
    """
    by_date: dict[date, list[InjectionVisit]] = {}
    for visit in visits:
        by_date.setdefault(visit.date, []).append(visit)
    marks = []
    for day, same_day in sorted(by_date.items()):
        parts = [(_session_name(v, same_day), units_text(v.total_units)) for v in same_day]
        products = " + ".join(brand for brand, _ in parts)
        if len(parts) == 1:
            units = parts[0][1]
        else:
            units = " + ".join(f"{u} {brand}" if u else brand for brand, u in parts)
        label = " + ".join(f"{brand} {u}".strip() for brand, u in parts)
        marks.append(InjectionMark(day, label, products, units))
    return marks


def _session_name(visit: InjectionVisit, same_day: Sequence[InjectionVisit]) -> str:
    """The visit's product, with its indication when the day holds another visit of it."""
    brand = visit.product.brand_name
    if sum(1 for other in same_day if other.product_id == visit.product_id) < 2:
        return brand
    return f"{brand} for {visit.get_indication_display().lower()}"


@dataclass(frozen=True)
class TimelineAnalysis:
    """A patient's cycles, each analysed against its own product's expected timeline.

    today: the analysis date (``analysis_today``); cycles: date order, one per injection
    date up to it. diary_today: the patient's own date, the last diary day they may have
    logged (the adherence count ends there).
    expected_by_date: the timeline each cycle was compared with (its first visit's).
    current_expected: the last cycle's timeline (None without injections).
    profiles: the patient's own profile per timeline (product and indication), each from
    that timeline's cycles only; never a median across products.
    profile: the current product and indication's profile (``profiles[current_expected]``):
    its medians, the current cycle's predicted wear-off and reinjection window, and the
    minimum-interval fact. Without a completed cycle of that product it has no median
    (completed_cycles 0), whatever other products' cycles show.
    judged_on: per injection date whose cycle was judged on the severity of the affected
    regions injected (``treatments.selectors.injected_regions``), their labels; the other
    cycles were judged on the overall severity. judged_severity: for those dates, the
    daily mean severity of those regions (what the cycle's days were read from).
    """

    today: date
    diary_today: date
    severity_by_day: dict[date, float]
    visits: list[InjectionVisit]
    cycles: list[CycleResult]
    marks: list[InjectionMark]
    expected_by_date: dict[date, ExpectedTimeline]
    current_expected: ExpectedTimeline | None
    profile: PersonalProfile
    visit_by_date: dict[date, InjectionVisit] = field(repr=False, default_factory=dict)
    profiles: dict[ExpectedTimeline, PersonalProfile] = field(repr=False, default_factory=dict)
    mixed_sessions: frozenset[date] = field(repr=False, default=frozenset())
    judged_on: dict[date, Judged] = field(repr=False, default_factory=dict)
    judged_severity: dict[date, dict[date, float]] = field(repr=False, default_factory=dict)

    @property
    def expected_timelines(self) -> list[ExpectedTimeline]:
        """Distinct timelines compared with, in order of first use."""
        return list(dict.fromkeys(self.expected_by_date.values()))

    def analysed_with(self, expected: ExpectedTimeline) -> list[CycleResult]:
        """Every cycle compared with ``expected``, a mixed session's too (its first visit's)."""
        return [c for c in self.cycles if self.expected_by_date[c.injection_date] == expected]

    def cycles_for(self, expected: ExpectedTimeline) -> list[CycleResult]:
        """The cycles of that product and indication alone (overlays, profiles): a cycle
        after a session with another product or indication too is left out."""
        return [c for c in self.analysed_with(expected) if counts_alone(c, self.mixed_sessions)]

    def profile_for(self, expected: ExpectedTimeline) -> PersonalProfile:
        """The patient's own profile for this product and indication (empty without its
        cycles)."""
        return self.profiles.get(expected) or personal_profile([], expected)

    @property
    def other_profiles(self) -> dict[ExpectedTimeline, PersonalProfile]:
        """The profiles of the products and indications other than the current one."""
        return {e: p for e, p in self.profiles.items() if e != self.current_expected}


def analyse_timeline(
    severity_by_day: dict[date, float],
    visits: Sequence[InjectionVisit],
    timelines: dict[TimelineKey, ExpectedTimeline],
    today: date,
    *,
    diary_today: date | None = None,
    judged: Mapping[date, tuple[Judged, dict[date, float]]] | None = None,
) -> TimelineAnalysis:
    """Analyse every cycle against the expected timeline of its own visit's product.

    Cycle boundaries come from all injection dates together (a cycle ends the day before
    the next injection of any product); each distinct expected timeline is one run of
    ``analyse_cycles`` of which only its own cycles are kept, and has its own profile
    (``profiles_by_timeline``). A cycle in ``judged`` (injection date -> the labels of the
    regions injected and their severity by day) is analysed on that severity, one run per
    set of regions; the others on ``severity_by_day``. No database access.
    """
    judged = judged or {}
    visit_by_date: dict[date, InjectionVisit] = {}
    for visit in visits:
        visit_by_date.setdefault(visit.date, visit)
    expected_by_date = {
        day: timelines[(visit.product_id, visit.indication)]
        for day, visit in visit_by_date.items()
        if day <= today
    }
    dates = sorted(expected_by_date)
    cycles: list[CycleResult] = []
    runs: dict[tuple[ExpectedTimeline, Judged], set[date]] = {}
    for day in dates:
        regions = judged[day][0] if day in judged else ()
        runs.setdefault((expected_by_date[day], regions), set()).add(day)
    for (expected, regions), own in runs.items():
        series = judged[min(own)][1] if regions else severity_by_day
        results = analyse_cycles(series, dates, expected, today)
        cycles.extend(r for r in results if r.injection_date in own)
    cycles.sort(key=lambda c: c.injection_date)
    current = expected_by_date[dates[-1]] if dates else None
    mixed = mixed_sessions(visits)
    profiles = profiles_by_timeline(cycles, expected_by_date, mixed)
    return TimelineAnalysis(
        today=today,
        diary_today=diary_today or today,
        severity_by_day=severity_by_day,
        visits=list(visits),
        cycles=cycles,
        marks=injection_marks([v for v in visits if v.date <= today]),
        expected_by_date=expected_by_date,
        current_expected=current,
        profile=profiles[current] if current is not None else personal_profile([]),
        visit_by_date=visit_by_date,
        profiles=profiles,
        mixed_sessions=mixed,
        judged_on={day: regions for day, (regions, _) in judged.items() if day <= today},
        judged_severity={day: series for day, (_, series) in judged.items() if day <= today},
    )


def mixed_sessions(visits: Sequence[InjectionVisit]) -> frozenset[date]:
    """Dates with visits of more than one product or indication (one session, two toxins)."""
    kinds: dict[date, set[tuple[int, str]]] = {}
    for visit in visits:
        kinds.setdefault(visit.date, set()).add((visit.product_id, visit.indication))
    return frozenset(day for day, found in kinds.items() if len(found) > 1)


def patient_timeline(
    patient: Patient,
    *,
    today: date | None = None,
    with_sites: bool = False,
    regions: Sequence[AffectedRegion] | None = None,
    severities: RegionSeverities | None = None,
) -> TimelineAnalysis:
    """Read and analyse one patient's diary and visits (4 queries, 5 with sites, one more
    for a patient with several affected regions, whose cycles may be judged on the
    regions injected: ``injected_regions``).

    today: the analysis date; by default ``analysis_today`` (the patient's own date, or
    their last visit's when the clinic recorded it on a date they have not begun), and the
    diary's last day is the patient's own date. regions: the patient's affected regions
    when the caller has read them (``injected_regions.affected_regions``); severities:
    their logged severities when the caller has read them (``region_severities``).
    """
    now = timezone.now()
    diary_today = today or patient_today(patient, now)
    regions = affected_regions(patient) if regions is None else regions
    # With several affected regions, the sites say which of them each cycle is judged on.
    visits = injection_visits(patient, with_sites=with_sites or len(regions) > 1)
    last_visit = visits[-1].date if visits else None
    today = today or analysis_today(patient, now, last_visit=last_visit)
    timelines = expected_timelines(visits)
    judged = {}
    if len(regions) > 1:
        severities = region_severities(patient, regions) if severities is None else severities
        judged = judged_series(severities, regions_reached(visits, regions))
    return analyse_timeline(
        diary_severity(patient), visits, timelines, today, diary_today=diary_today, judged=judged
    )


def logged_days(severity_by_day: Iterable[date], today: date, days: int = ADHERENCE_DAYS) -> int:
    """How many of the ``days`` days ending today (inclusive) have a diary entry."""
    first = today - timedelta(days=days - 1)
    return sum(1 for day in severity_by_day if first <= day <= today)


def patients_needing_recompute(*, now: datetime | None = None) -> list[int]:
    """Ids of patients whose profile is missing, marked stale, never computed, or (``now``
    given) computed before the patient's own day began
    at ``now`` (their zone's midnight, ``patient_zone``): the cycle day and the 14-day
    adherence it holds are then a day behind. In id order; two queries (the zones first:
    a clinic has a handful), one without ``now``."""
    owed = (
        Q(cycle_profile__isnull=True)
        | Q(cycle_profile__stale_since__isnull=False)
        | Q(cycle_profile__computed_at__isnull=True)
    )
    if now is not None:
        zones = Patient.objects.order_by().values_list("time_zone", flat=True).distinct()
        for name in set(zones):
            local = now.astimezone(patient_zone(name))
            midnight = datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)
            owed |= Q(time_zone=name, cycle_profile__computed_at__lt=midnight)
    return list(Patient.objects.filter(owed).order_by("pk").values_list("pk", flat=True))
