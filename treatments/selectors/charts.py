"""Reads for the chart pages and the neurologist's start page.

Each function costs a constant number of queries, whatever the length of the diary or
the number of patients (the tests assert it with ``django_assert_num_queries``):
- ``patient_chart``: diary, visits, their sites, expected timelines, region severities,
  affected regions, treatment courses, assessments (8 queries; 9 when a cycle is judged
  on the regions injected, ``injected_regions``);
- ``neurologist_patients_page``: the count and one page of patients with their profile
  and latest visit's date and product joined in (2 queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from patients.access import Purpose, patients_visible_to
from patients.models import AffectedRegion, Patient, RegionSeverity
from treatments.cycles import CycleResult, ExpectedTimeline, Verdict
from treatments.models import (
    Assessment,
    CycleProfile,
    CycleSummary,
    InjectionVisit,
    TreatmentCourse,
)
from treatments.selectors.injected_regions import (
    RegionSeverities,
    affected_regions,
    region_severities,
    site_in_region,
)
from treatments.selectors.timeline import TimelineAnalysis, analysis_today, patient_timeline

# The ranges a chart can show: key -> (label, days back from today; None = everything).
CHART_RANGES: dict[str, tuple[str, int | None]] = {
    "6m": ("6 months", 183),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "1y"
PATIENTS_PER_PAGE = 50


def chart_range(key: str | None) -> str:
    """The requested range key, or the default for a missing or unknown one."""
    return key if key in CHART_RANGES else DEFAULT_RANGE


@dataclass(frozen=True)
class PatientChart:
    """Everything the chart pages show for one patient.

    start: first date shown (None = from the first diary entry or injection).
    cycles_shown: cycles that overlap the range, date order; the profile and each
    cycle's analysis still use the whole history.
    region_series: per affected region label, severity 0-10 per logged day in range.
    courses, assessments: those in range (a course that ended before it is not).
    injected_regions: per affected region label, the dates of the injections in range
    given in that region (``injected_dates_by_region``); empty without ``details``.
    """

    analysis: TimelineAnalysis
    range_key: str
    start: date | None
    cycles_shown: list[CycleResult]
    region_series: dict[str, dict[date, float]]
    injected_regions: dict[str, set[date]]
    courses: list[TreatmentCourse]
    assessments: list[Assessment]

    @property
    def today(self) -> date:
        return self.analysis.today

    @property
    def shown_dates(self) -> set[date]:
        """Injection dates of the cycles shown."""
        return {c.injection_date for c in self.cycles_shown}

    @property
    def expected_shown(self) -> list[ExpectedTimeline]:
        """The expected timelines the cycles shown were compared with (each cycle its own
        first visit's product and indication), in order of first use."""
        by_date = self.analysis.expected_by_date
        return list(dict.fromkeys(by_date[c.injection_date] for c in self.cycles_shown))

    @property
    def visits_shown(self) -> list[InjectionVisit]:
        """Visits in range and those of the cycles shown (one begun before the range runs
        into it), newest first (sites prefetched)."""
        first = self.start
        if first is not None and self.shown_dates:
            first = min(first, *self.shown_dates)
        visits = [v for v in self.analysis.visits if first is None or v.date >= first]
        return sorted(visits, key=lambda v: (v.date, v.created), reverse=True)

    @property
    def early_cycles(self) -> list[CycleResult]:
        """Cycles in range whose benefit wore off before the expected low end."""
        return [c for c in self.cycles_shown if c.verdict == Verdict.EARLY_WEAR_OFF]


def range_start(range_key: str, today: date) -> date | None:
    days = CHART_RANGES[range_key][1]
    return None if days is None else today - timedelta(days=days)


def region_series(
    regions: Sequence[AffectedRegion],
    patient: Patient,
    start: date | None,
    severities: RegionSeverities | None = None,
) -> dict[str, dict[date, float]]:
    """Severity per affected region (label -> day -> 0-10) from ``start`` on; regions
    without entries are kept (an empty series), in the catalog's order. One query, none
    when the caller has read every severity of the regions (``region_severities``)."""
    if severities is not None:
        return {
            region.label: {
                day: value
                for day, value in severities.get(region.pk, {}).items()
                if start is None or day >= start
            }
            for region in regions
        }
    series: dict[str, dict[date, float]] = {region.label: {} for region in regions}
    labels = {region.pk: region.label for region in regions}
    rows = RegionSeverity.objects.filter(entry__patient=patient)
    if start is not None:
        rows = rows.filter(entry__date__gte=start)
    for region_id, day, severity in rows.order_by().values_list(
        "affected_region_id", "entry__date", "severity"
    ):
        if region_id in labels:
            series[labels[region_id]][day] = float(severity)
    return series


def injected_dates_by_region(
    regions: Sequence[AffectedRegion], visits: Sequence[InjectionVisit], start: date | None
) -> dict[str, set[date]]:
    """Per affected region label, the dates (from ``start`` on) of the visits with a site
    in that region (``site_in_region``); a region never injected gets an empty set.
    Reads the visits' prefetched sites and muscles: no query."""
    return {
        region.label: {
            visit.date
            for visit in visits
            if (start is None or visit.date >= start)
            and any(site_in_region(site, region) for site in visit.sites.all())
        }
        for region in regions
    }


def courses_in_range(patient: Patient, start: date | None) -> QuerySet[TreatmentCourse]:
    """The patient's courses still going on at ``start`` or begun since (all with None),
    the latest start first: a course that ended before the range is not in it, nor one
    entered in error (as a visit entered in error is in no chart)."""
    courses = TreatmentCourse.objects.filter(patient=patient, entered_in_error=False)
    if start is not None:
        courses = courses.filter(Q(end__isnull=True) | Q(end__gte=start))
    return courses


def assessments_in_range(patient: Patient, start: date | None) -> QuerySet[Assessment]:
    """The patient's assessments from ``start`` on (all with None), newest first."""
    assessments = Assessment.objects.filter(patient=patient)
    return assessments if start is None else assessments.filter(date__gte=start)


def patient_chart(
    *, patient: Patient, range_key: str, today: date | None = None, details: bool = True
) -> PatientChart:
    """The chart page's data for ``patient`` over the range (see CHART_RANGES).

    details=False (the patient's own page) skips regions, courses and assessments.
    """
    regions = affected_regions(patient)
    # Several regions: their severities are read once, for the cycles judged on some of
    # them and for the region panels (one region: the panel reads its range alone).
    severities = region_severities(patient, regions) if len(regions) > 1 else None
    analysis = patient_timeline(
        patient, today=today, with_sites=details, regions=regions, severities=severities
    )
    start = range_start(range_key, analysis.today)
    shown = [c for c in analysis.cycles if start is None or c.end_date >= start]
    regions = regions if details else []
    return PatientChart(
        analysis=analysis,
        range_key=range_key,
        start=start,
        cycles_shown=shown,
        region_series=region_series(regions, patient, start, severities) if details else {},
        injected_regions=injected_dates_by_region(regions, analysis.visits, start),
        courses=list(courses_in_range(patient, start)) if details else [],
        assessments=list(assessments_in_range(patient, start)) if details else [],
    )


# --- The neurologist's start page ---


@dataclass(frozen=True)
class PatientRow:
    """One line of the start page, read from the stored CycleProfile and the latest visit.

    last_injection_date, last_product: of the latest session (the visits, not entered in
    error, of the latest date), read from the visits (a missing or stale profile does not
    hide an injection); None / "" without. A session of two products names both, the one
    recorded first (whose timeline the cycle and the profile follow) first.
    cycle_day: days since that injection (injection day = day 0), None without one.
    previous_verdict: verdict of the cycle before the profile's current one ("" when none).
    outdated: the profile was last computed before yesterday began (clinic time), so the
    nightly sweep has missed it (the sweep not running): the page says when it was.
    """

    patient: Patient
    profile: CycleProfile | None
    last_injection_date: date | None
    cycle_day: int | None
    last_product: str
    previous_verdict: str
    outdated: bool = False

    @property
    def early_wear_off(self) -> bool:
        verdict = self.profile.current_verdict if self.profile else ""
        return verdict == Verdict.EARLY_WEAR_OFF

    @property
    def previous_early_wear_off(self) -> bool:
        return self.previous_verdict == Verdict.EARLY_WEAR_OFF

    @property
    def stale(self) -> bool:
        return self.profile is None or self.profile.stale_since is not None


def _profile_of(patient: Patient) -> CycleProfile | None:
    try:
        return patient.cycle_profile
    except CycleProfile.DoesNotExist:
        return None


# What the start page reads of a patient and of its profile (no contact or record data).
START_PAGE_PATIENT_FIELDS = ("uuid", "first_name", "last_name", "time_zone")
START_PAGE_PROFILE_FIELDS = (
    "last_injection_date",
    "current_verdict",
    "predicted_wear_off",
    "wears_off_before_min_interval",
    "logged_days_last_14",
    "judged_on",
    "computed_at",
    "stale_since",
)


def _outdated(profile: CycleProfile | None, swept_since: datetime) -> bool:
    return (
        profile is not None
        and profile.stale_since is None
        and profile.computed_at is not None
        and profile.computed_at < swept_since
    )


def _session_products(last_dates: dict[int, date | None]) -> dict[int, list[str]]:
    """Brand names of each patient's visits (not in error) on their latest date, in the
    order recorded, each once. One query for a page of patients."""
    wanted = {(pk, day) for pk, day in last_dates.items() if day is not None}
    visits = (
        InjectionVisit.objects.filter(
            patient_id__in=[pk for pk, _ in wanted],
            date__in={day for _, day in wanted},
            entered_in_error=False,
        )
        .order_by("created", "pk")
        .values_list("patient_id", "date", "product__brand_name")
    )
    products: dict[int, list[str]] = {}
    for patient_id, day, brand in visits if wanted else ():
        names = products.setdefault(patient_id, [])
        if (patient_id, day) in wanted and brand not in names:
            names.append(brand)
    return products


def neurologist_patients_page(
    *, user, page_number: str | int | None, now: datetime | None = None
) -> tuple[Page, list[PatientRow]]:
    """One page of the neurologist's care-team patients still under the clinic's care, by
    name, with their profile.

    Reads CycleProfile (never the diary); the last injection and product come from the
    latest visit in the same query. The cycle day counts to each patient's
    ``analysis_today``, the date their chart and profile are analysed up to.
    """
    now = now or timezone.now()
    latest_visit = InjectionVisit.objects.filter(
        patient=OuterRef("pk"), entered_in_error=False
    ).order_by("-date", "-created")
    previous_cycle = CycleSummary.objects.filter(
        patient=OuterRef("pk"),
        injection_date__lt=OuterRef("cycle_profile__last_injection_date"),
    ).order_by("-injection_date")
    patients = (
        # The care team's patients: a break-glass grant opens a patient's pages, it does
        # not put the patient on this list (Purpose.RECORD is the care team only).
        # Only patients still under the clinic's care: one who left (died, discharged,
        # moved away, transferred) is found through the patient search.
        patients_visible_to(user, Purpose.RECORD)
        .filter(left_care_on__isnull=True)
        .select_related("cycle_profile")
        .only(
            *START_PAGE_PATIENT_FIELDS, *(f"cycle_profile__{f}" for f in START_PAGE_PROFILE_FIELDS)
        )
        .annotate(
            last_injection=Subquery(latest_visit.values("date")[:1]),
            previous_verdict=Subquery(previous_cycle.values("verdict")[:1]),
        )
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(page_number)
    yesterday = timezone.localdate(now) - timedelta(days=1)
    swept_since = timezone.make_aware(datetime.combine(yesterday, time.min))
    products = _session_products({p.pk: p.last_injection for p in page.object_list})
    rows = []
    for patient in page.object_list:
        last = patient.last_injection
        profile = _profile_of(patient)
        rows.append(
            PatientRow(
                patient=patient,
                profile=profile,
                last_injection_date=last,
                cycle_day=(
                    (analysis_today(patient, now, last_visit=last) - last).days if last else None
                ),
                last_product=" + ".join(products.get(patient.pk, ())),
                previous_verdict=patient.previous_verdict or "",
                outdated=_outdated(profile, swept_since),
            )
        )
    return page, rows
