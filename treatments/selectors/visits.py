"""Reads of injection visits, their sites and the catalogs they are checked against.

Units belong to one product: every total here is the total of ONE visit (one product),
or of one region within one visit, or (``same_product_totals_near``, for the maximum
that holds over 30 days) of visits of one product and indication. Nothing adds units
across products.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.utils.text import capfirst

from clinic.access import NEUROLOGIST, has_role
from patients.models import Patient
from treatments.intervals import SpacedVisit, early_now
from treatments.models import (
    Indication,
    InjectionSite,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    ToxinProduct,
)
from treatments.selectors.history import (
    KINDS,
    NO_VALUE,
    HistoryLine,
    field_value,
    record_revision,
    record_text,
    who,
)
from treatments.units import format_product_units

MuscleChoices = list[tuple[str, list[tuple[str, str]]]]


def sees_entered_in_error(user) -> bool:
    """Whether ``user`` is shown visits entered in error (struck through, with the reason):
    neurologists, who keep the clinical record. Not the patient: such a visit was most often
    recorded on the wrong patient, so its product, lot, sites, notes and reason are another
    person's treatment (and it never was theirs: as FHIR's "entered-in-error", it is not
    for display beyond the record's keepers)."""
    return has_role(user, NEUROLOGIST)


def visits_for_patient(patient: Patient, *, with_in_error: bool = True) -> list[InjectionVisit]:
    """All of a patient's visits, newest first, entered-in-error ones included (they are
    shown struck through) unless ``with_in_error`` is False (``sees_entered_in_error``).
    Each carries ``total_units`` (the visit's own product's units; None without sites),
    ``site_count`` and ``is_early_now`` (see ``visit_is_early_now``): one query, whatever
    the number. The visits entered in error are read either way (the early rule reads
    their dates) and left out of the list after."""
    visits = list(
        InjectionVisit.objects.filter(patient=patient)
        .select_related("product", "injector")
        .annotate(
            total_units=Sum("sites__units"),
            site_count=Count("sites"),
            min_interval_weeks=_min_interval_weeks(),
        )
        .order_by("-date", "-created", "-pk")
    )
    standing = [v for v in reversed(visits) if not v.entered_in_error]  # oldest first
    early = early_now(
        [
            SpacedVisit(
                v.pk,
                v.date,
                v.min_interval_weeks,
                bool(v.early_reason),
                v.early_reason_pair_id,
                v.early_reason_next_pair_id,
            )
            for v in standing
        ],
        [(v.pk, v.date) for v in visits if v.entered_in_error],
    )
    if not with_in_error:
        visits = [v for v in visits if not v.entered_in_error]
    for visit in visits:
        visit.is_early_now = visit.pk in early
    return visits


def visit_is_early_now(visit: InjectionVisit) -> bool:
    """Whether ``visit`` comes before the minimum interval by the patient's visits as they
    are now (``treatments.intervals.early_now``): a visit entered in error is not, and
    neither is one whose earlier visit was since marked in error or moved. The stored
    ``early_reason`` is kept either way. Two queries (none for a visit in error)."""
    if visit.entered_in_error:
        return False
    rows = (
        InjectionVisit.objects.filter(patient_id=visit.patient_id, entered_in_error=False)
        .annotate(min_interval_weeks=_min_interval_weeks())
        .order_by("date", "created", "pk")
        .values_list(
            "pk",
            "date",
            "min_interval_weeks",
            "early_reason",
            "early_reason_pair",
            "early_reason_next_pair",
        )
    )
    spaced = [
        SpacedVisit(pk, day, weeks, bool(reason), pair, next_pair)
        for pk, day, weeks, reason, pair, next_pair in rows
    ]
    return visit.pk in early_now(spaced, _in_error_visits(visit.patient_id))


def _in_error_visits(patient_id: int) -> list[tuple[int, date]]:
    """The (id, date) of the patient's visits entered in error (``early_now`` reads them)."""
    rows = InjectionVisit.objects.filter(patient_id=patient_id, entered_in_error=True)
    return list(rows.values_list("pk", "date"))


def _min_interval_weeks() -> Subquery:
    """The catalog's minimum interval (weeks) of a visit's product for its indication;
    None when the catalog gives none (or no longer holds the pair)."""
    timeline = ProductTimeline.objects.filter(
        product=OuterRef("product"), indication=OuterRef("indication")
    )
    return Subquery(timeline.values("min_interval_weeks")[:1])


def visits_for_analysis(patient: Patient) -> QuerySet[InjectionVisit]:
    """The visits the cycle analysis and charts use: entered-in-error ones left out,
    oldest first, with ``total_units`` (in the visit's product's units, never to be
    added across products) and the product loaded. ``early_reason`` is the reason given
    when the visit was recorded sooner than its product's minimum interval; whether it is
    early by the visits as they are now is ``visit_is_early_now``."""
    return (
        InjectionVisit.objects.filter(patient=patient, entered_in_error=False)
        .select_related("product")
        .annotate(total_units=Sum("sites__units"))
        .order_by("date", "created")
    )


def visit_for_patient(
    patient: Patient, visit_uuid: uuid.UUID, *, with_in_error: bool = True
) -> InjectionVisit:
    """The patient's visit with that UUID, or 404 (a visit of another patient is not found,
    nor one entered in error when ``with_in_error`` is False: ``sees_entered_in_error``)."""
    visits = InjectionVisit.objects.select_related("product", "injector", "patient")
    if not with_in_error:
        visits = visits.filter(entered_in_error=False)
    return get_object_or_404(visits, patient=patient, uuid=visit_uuid)


def sites_of(visit: InjectionVisit) -> list[InjectionSite]:
    """The visit's sites with muscle and region, in region order."""
    return list(visit.sites.select_related("muscle__region"))


def _other_visits(
    patient: Patient | int, exclude: InjectionVisit | None
) -> QuerySet[InjectionVisit]:
    """The patient's visits not entered in error, without ``exclude`` (the one corrected)."""
    visits = InjectionVisit.objects.filter(patient=patient, entered_in_error=False)
    if exclude is not None and exclude.pk:
        visits = visits.exclude(pk=exclude.pk)
    return visits.select_related("product")


def previous_visit(
    patient: Patient, *, before: date, exclude: InjectionVisit | None = None
) -> InjectionVisit | None:
    """The latest visit not entered in error strictly before ``before`` (a visit on the
    same day is the same session, e.g. a second indication, not a reinjection)."""
    visits = _other_visits(patient, exclude).filter(date__lt=before)
    return visits.order_by("-date", "-created").first()


def next_visit(
    patient: Patient, *, after: date, exclude: InjectionVisit | None = None
) -> InjectionVisit | None:
    """The earliest visit not entered in error strictly after ``after`` (a visit recorded
    late, or a date corrected, may come before visits already recorded)."""
    return (
        _other_visits(patient, exclude).filter(date__gt=after).order_by("date", "created").first()
    )


def next_visit_date(*, patient_id: int, after: date) -> date | None:
    """The date of the patient's first visit after ``after`` not entered in error, else None
    (the follow-ups it supersedes are closed with that date)."""
    later = _other_visits(patient_id, None).filter(date__gt=after).order_by("date")
    return later.values_list("date", flat=True).first()


def session_visits(*, patient_id: int, day: date) -> QuerySet[InjectionVisit]:
    """One clinic session: the patient's visits on ``day`` not entered in error, first
    recorded first (that one holds the session's follow-ups when they are created)."""
    return InjectionVisit.objects.filter(
        patient_id=patient_id, date=day, entered_in_error=False
    ).order_by("created", "pk")


def session_visit_ids(*, patient_id: int, day: date) -> set[int]:
    """The ids of the patient's visits on ``day``, those entered in error included: what an
    early reason written about one of them names (the interval between two sessions stays
    the same while a visit of the session remains)."""
    rows = InjectionVisit.objects.filter(patient_id=patient_id, date=day)
    return set(rows.values_list("pk", flat=True))


def visits_in_date_order(
    *, patient_id: int, exclude: InjectionVisit | None = None
) -> QuerySet[InjectionVisit]:
    """The patient's visits not entered in error, without ``exclude``, oldest first."""
    return _other_visits(patient_id, exclude).order_by("date", "created")


def last_visit_with_sites(patient: Patient, *, indication: str = "") -> InjectionVisit | None:
    """The latest visit not entered in error, of ``indication`` when one is given (two
    indications treated in one session are two visits: the muscles of one are never a
    start for the other), with its sites loaded (for "start from")."""
    visits = InjectionVisit.objects.filter(patient=patient, entered_in_error=False)
    if indication:
        visits = visits.filter(indication=indication)
    visit = visits.select_related("product").order_by("-date", "-created").first()
    if visit is not None:
        visit.loaded_sites = sites_of(visit)
    return visit


def same_product_totals_near(
    patient: Patient,
    *,
    product: ToxinProduct,
    indication: str,
    around: date,
    days: int,
    exclude: InjectionVisit | None = None,
) -> list[tuple[date, Decimal]]:
    """(date, total units) of the patient's other visits (not in error) of ``product`` for
    ``indication`` less than ``days`` days before or after ``around`` (not on that day: the
    same session recorded twice is refused as a duplicate)."""
    span = timedelta(days=days - 1)
    earliest = around - span if around - date.min > span else date.min
    latest = around + span if date.max - around > span else date.max
    visits = (
        _other_visits(patient, exclude)
        .filter(product=product, indication=indication, date__range=(earliest, latest))
        .exclude(date=around)
        .annotate(total=Sum("sites__units"))
        .order_by("date")
    )
    return [(visit.date, visit.total or Decimal(0)) for visit in visits]


def highest_catalog_maximum(product: ToxinProduct) -> int | None:
    """The largest usual maximum per session the catalog gives ``product`` in any indication."""
    found = ProductTimeline.objects.filter(product=product).aggregate(
        m=Max("max_units_per_session")
    )
    return found["m"]


def timeline_for(product: ToxinProduct, indication: str) -> ProductTimeline | None:
    """The catalog's expected timeline of ``product`` for ``indication``, or None."""
    return ProductTimeline.objects.filter(product=product, indication=indication).first()


def product_brands(also: int | None = None) -> dict[str, str]:
    """Brand name of every active product by primary key (labels the units), and of product
    ``also`` (a corrected visit's, which may have left the catalog)."""
    offered = Q(active=True) | Q(pk=also) if also else Q(active=True)
    return {
        str(pk): brand
        for pk, brand in ToxinProduct.objects.filter(offered).values_list("pk", "brand_name")
    }


def muscle_choices() -> MuscleChoices:
    """Muscles grouped by body region for a <select> with <optgroup>s (one query)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for muscle in Muscle.objects.select_related("region"):
        groups.setdefault(muscle.region.name, []).append((str(muscle.pk), muscle.name))
    return list(groups.items())


def muscles_by_pk() -> dict[str, Muscle]:
    """Every muscle by its primary key as text, with its region (one query)."""
    return {str(m.pk): m for m in Muscle.objects.select_related("region")}


@dataclass(frozen=True)
class RegionTotal:
    """Units of one visit's product given into one body region."""

    region: str
    units: Decimal
    sites: int


def region_totals(sites: Iterable[tuple[str, Decimal]]) -> list[RegionTotal]:
    """Sum (region name, units) pairs of ONE visit by region, in first-seen order.

    The caller passes the sites of a single visit (a single product): the sum is in
    that product's units. An empty input gives an empty list.
    """
    units: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for region, value in sites:
        units[region] = units.get(region, Decimal(0)) + value
        counts[region] = counts.get(region, 0) + 1
    return [RegionTotal(region, units[region], counts[region]) for region in units]


def visit_total(sites: Iterable[tuple[str, Decimal]]) -> Decimal:
    """Total units of ONE visit (one product) from (region, units) pairs."""
    return sum((value for _, value in sites), Decimal(0))


@dataclass(frozen=True)
class SessionProductTotal:
    """One product's units over a clinic session's visits of that product (one visit per
    indication): the total and each indication's share, in that product's units only."""

    total: Decimal
    by_indication: list[tuple[str, Decimal]]


def session_product_total(visit: InjectionVisit) -> SessionProductTotal | None:
    """The total of ``visit``'s product over its session (the patient's visits on its date
    not entered in error, first recorded first), or None when no other visit of the same
    product is in the session, or ``visit`` is entered in error. Other products' visits
    are never added: their units are not comparable. Shown, never checked: the app
    records and shows doses, it does not limit them. One query."""
    if visit.entered_in_error:
        return None
    rows = list(
        session_visits(patient_id=visit.patient_id, day=visit.date)
        .filter(product_id=visit.product_id)
        .annotate(units=Sum("sites__units"))
        .values_list("indication", "units")
    )
    if len(rows) < 2:
        return None
    shares = [(Indication(code).label, units or Decimal(0)) for code, units in rows]
    return SessionProductTotal(sum((units for _, units in shares), Decimal(0)), shares)


# The visit's values its history shows, in the model's order: not its identity (id, uuid,
# patient: the page is the patient's own and no service moves a visit to another patient)
# nor its timestamps (the history line has its own "when").
_VISIT_FIELDS = tuple(
    f
    for f in InjectionVisit._meta.concrete_fields
    # The early reason's pair is bookkeeping for the rule, not a value the user entered.
    if f.name
    not in {
        "id",
        "uuid",
        "patient",
        "created",
        "updated",
        "early_reason_pair",
        "early_reason_next_pair",
    }
)
# Labels as the visit page words them where the field's own name reads badly.
_VISIT_LABELS = {f.name: str(capfirst(f.verbose_name)) for f in _VISIT_FIELDS} | {
    "dilution_units_per_ml": "Dilution",
    "early_reason": "Reason for an early injection",
    "over_maximum_confirmed": "Above usual maximum confirmed",
    "over_site_maximum_confirmed": "Site above usual maximum per site confirmed",
    "entered_in_error_reason": "Reason entered in error",
}


def visit_history(visit: InjectionVisit) -> list[HistoryLine]:
    """Every recorded change of the visit and of its sites, newest first: two queries
    (the visit's records with their product, injector and author; the sites' records),
    whatever its length.

    "Visit created" lists the values first recorded; "Visit changed" lists each changed
    field with its value before and after ("Lot number: C1234AB → D9999ZZ"), so a lot
    recorded before a correction stays readable for a recall; "Site changed" likewise
    shows the site's units and points before and after. Each site value names the
    product its units are in: the visit's product in the visit record in force when those
    units were written (a visit corrected from Botox to Dysport shows "50 U Botox" then
    "150 U Dysport", never two bare numbers)."""
    lines: list[HistoryLine] = []
    records = list(
        visit.history.select_related("history_user", "product", "injector").order_by("history_date")
    )
    for older, newer in zip([None, *records], records, strict=False):
        lines.append(
            HistoryLine(
                newer.history_date,
                who(newer),
                f"Visit {KINDS.get(newer.history_type, '')}",
                record_text(
                    older, newer, fields=_VISIT_FIELDS, labels=_VISIT_LABELS, value=_visit_value
                ),
                newer.history_change_reason or "",
            )
        )
    site_records = list(
        InjectionSite.history.filter(visit_id=visit.pk)
        .select_related("history_user", "muscle")
        .order_by("history_date", "history_id")
    )
    brand_at = _BrandAt(records, fallback=visit.product.brand_name)
    previous = _previous_site_records(site_records)
    for record in site_records:
        lines.append(
            HistoryLine(
                record.history_date,
                who(record),
                f"Site {KINDS.get(record.history_type, '')}",
                _site_record_text(record, previous.get(record.history_id), brand_at),
                record.history_change_reason or "",
            )
        )
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines


def visit_revision(visit: InjectionVisit) -> int:
    """How many times the visit has been saved (recorded, each correction, marked entered in
    error): the revision a correction page was opened at. Every correction saves the visit
    row, its sites' changes too, so a change of sites alone counts as well."""
    return record_revision(visit)


def visit_changes_since(visit: InjectionVisit, revision: int) -> list[HistoryLine]:
    """The history lines (``visit_history``, newest first) of what was saved after the
    visit's ``revision``-th save: the changes a page opened at that revision did not show."""
    saved = list(visit.history.order_by("history_id").values_list("history_date", flat=True))
    if revision >= len(saved):
        return []
    since = saved[max(revision, 0)]
    return [line for line in visit_history(visit) if line.when >= since]


class _BrandAt:
    """The visit's product brand at a moment, from its history records (oldest first)."""

    def __init__(self, visit_records: Sequence, *, fallback: str) -> None:
        self._dates = [r.history_date for r in visit_records]
        self._brands = [r.product.brand_name for r in visit_records]
        self._fallback = fallback

    def __call__(self, when: datetime) -> str:
        """The brand of the latest visit record at or before ``when``. A moment before the
        first record (a site cannot precede its visit) takes the first record's brand;
        a visit without any history record, its current brand."""
        index = bisect_right(self._dates, when) - 1
        if not self._brands:
            return self._fallback
        return self._brands[max(index, 0)]


def _previous_site_records(site_records: Sequence) -> dict[int, object]:
    """Each site record's previous record of the same site, by history_id; a site's first
    record has none. ``site_records`` are oldest first (no query here)."""
    previous: dict[int, object] = {}
    last_of_site: dict[int, object] = {}
    for record in site_records:
        if record.id in last_of_site:
            previous[record.history_id] = last_of_site[record.id]
        last_of_site[record.id] = record
    return previous


def _units_written_at(record, previous) -> datetime:
    """When the units a site record shows were written.

    A created or changed record shows the units written at its own moment. A removal
    record shows the site's last units, written at that site's ``previous`` record: a site
    removed in a Botox-to-Dysport correction (the visit is saved first, so Dysport is
    already in force at the removal) held Botox units, not Dysport ones. A removal with
    no earlier record falls back to its own moment.
    """
    if record.history_type == "-" and previous is not None:
        return previous.history_date
    return record.history_date


def _site_record_text(record, previous, brand_at: _BrandAt) -> str:
    """What one site record shows: its place, units and points; on a change, the units
    and points before and after ("Sternocleidomastoid, left: 50 U Botox in 2 points → 60 U
    Botox in 3 points"). Each side's units carry the product in force when they were
    written: two products' units are shown side by side, each named, never compared."""
    after = _site_dose(record, brand_at(_units_written_at(record, previous)))
    if record.history_type != "~" or previous is None:
        return f"{_site_place(record)}: {after}"
    before = _site_dose(previous, brand_at(_units_written_at(previous, None)))
    if _site_place(previous) != _site_place(record):
        return f"{_site_place(previous)}: {before} → {_site_place(record)}: {after}"
    if before == after:
        return f"{_site_place(record)}: {after}"
    return f"{_site_place(record)}: {before} → {after}"


def _site_place(record) -> str:
    """ "Sternocleidomastoid, left": the site record's muscle (loaded by the caller's
    ``select_related``) and side."""
    return f"{record.muscle.name}, {record.get_side_display().lower()}"


def _site_dose(record, brand: str) -> str:
    """ "50 U Botox in 2 points": a site record's units, in ``brand``'s units, and points."""
    units = format_product_units(record.units, brand)
    return f"{units} in {record.points} point{pluralize(record.points)}"


def _visit_value(field, value: object, record) -> str:
    """One value of a visit field as the visit page writes it: the dilution with the unit
    label of ``record``'s product ("50 U Botox per mL", so a dilution before a product
    correction and one after are each named, never compared), the product by its brand
    name, anything else as ``history.field_value`` writes it."""
    if value is None or value == "":
        return NO_VALUE
    if field.name == "dilution_units_per_ml":
        return f"{format_product_units(value, record.product.brand_name)} per mL"
    if isinstance(value, ToxinProduct):
        return value.brand_name
    return field_value(field, value)
