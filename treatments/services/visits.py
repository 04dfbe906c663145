"""Writes of injection visits: record, correct (history kept), mark entered in error.

The clinical rules live here, once (the form shows their messages):
- the catalog must hold an expected timeline for the product and indication;
- a total above the timeline's usual maximum needs an explicit, stored confirmation
  (``over_maximum_confirmed``): the visit's own total, or with the patient's other visits
  of the same product and indication within 30 days (Botox for blepharospasm: "at most
  200 U in 30 days"); where the catalog gives no maximum for the indication, a total above
  the product's highest maximum in any indication (a slipped zero) needs it too;
- a site (one injection point: a row's units over its points) with more units than the
  timeline's usual maximum per site (Botox for cervical dystonia: "at most 50 U per
  site") needs its own explicit, stored confirmation (``over_site_maximum_confirmed``);
  the message names the row. Only the visit's own
  product's timeline is read (units are never compared across products), and where the
  catalog gives no maximum per site nothing is checked;
- a visit sooner than the product's minimum interval after the previous visit (not
  entered in error, any product) needs a reason, stored in ``early_reason``
  (``treatments.intervals``: the rule, which the visit pages apply to the visits as they
  are now when they show the reason). A reason is taken only for a visit that is early;
  a corrected visit that is no longer early keeps the reason it had (clinical history,
  shown as "Recorded as early").
Field rules (units > 0, date not in the future nor before the patient's birth, lot number
required, lot not expired, side fits the muscle, one row per muscle and side) are model
validators and run through ``full_clean()``. A visit has one product by construction:
sites carry no product.

Visits are never deleted: one entered in error is flagged and kept (history too). After
the transaction commits, ``injection_visit_changed`` is sent (cycle summaries and
follow-ups listen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from patients.models import Patient
from treatments.models import (
    InjectionSite,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    Side,
    ToxinProduct,
)
from treatments.selectors.visits import (
    highest_catalog_maximum,
    same_product_totals_near,
    timeline_for,
)
from treatments.services.assessments import refuse_ratings_left_outside
from treatments.services.early_intervals import (
    early_gaps,
    early_message,
    keeps_another_pairs_reason,
)
from treatments.services.revisions import mark_entered_in_error, refuse_if_saved_meanwhile
from treatments.services.summaries import cycle_profiles_mark_stale
from treatments.signals import injection_visit_changed
from treatments.units import format_units


@dataclass(frozen=True)
class SiteInput:
    """Units of the visit's product into one muscle on one side, in ``points`` points."""

    muscle: Muscle
    side: str
    units: Decimal
    points: int = 1


@dataclass(frozen=True)
class VisitInput:
    """What the neurologist records about a visit, apart from its sites."""

    date: date
    indication: str
    product: ToxinProduct
    lot_number: str
    dilution_units_per_ml: Decimal
    guidance: str
    lot_expiry: date | None = None
    notes: str = ""
    early_reason: str = ""
    over_maximum_confirmed: bool = False
    over_site_maximum_confirmed: bool = False


@dataclass(frozen=True)
class RuleCheck:
    """The outcome of the clinical rules for a visit: errors by field, and the facts the
    stored flags follow (early or not, over the maximum or not, a site over the maximum
    per site or not)."""

    errors: dict[str, list[str]]
    timeline: ProductTimeline | None
    is_early: bool
    is_over_maximum: bool
    is_over_site_maximum: bool = False
    # The other visit of the early pair (what a reason given now is written about), and
    # the next visit when the visit is early on both sides (the reason is about both).
    early_pair: InjectionVisit | None = None
    early_next_pair: InjectionVisit | None = None


NO_CHANGE_REASON = "Say why the visit is corrected."
NOTHING_CORRECTED = (
    "Nothing was corrected: every value and site is the same as saved. Change the value "
    "that needs correcting, then save it with the reason."
)
# The span a usual maximum holds over: Botox's label for blepharospasm says 200 U in 30 days.
MAXIMUM_SPAN_DAYS = 30


def total_units(sites: Sequence[SiteInput]) -> Decimal:
    """Total of one visit's sites, in the visit's product's units."""
    return sum((site.units for site in sites), Decimal(0))


def largest_total_in_span(
    day: date, total: Decimal, others: Sequence[tuple[date, Decimal]], span_days: int
) -> Decimal:
    """The largest sum of units (one product) in any ``span_days``-day span holding ``day``:
    this visit's ``total`` and the ``others`` (date, total) that fall in the same span."""
    largest = total
    for start in {day, *(d for d, _ in others if d < day)}:
        if (day - start).days >= span_days:
            continue
        in_span = (u for d, u in others if 0 <= (d - start).days < span_days)
        largest = max(largest, total + sum(in_span, Decimal(0)))
    return largest


def visit_rules(
    *,
    patient: Patient,
    visit: VisitInput,
    sites: Sequence[SiteInput],
    exclude: InjectionVisit | None = None,
) -> RuleCheck:
    """Check the cross-record rules; ``exclude`` is the visit being corrected."""
    errors: dict[str, list[str]] = {}
    timeline = timeline_for(visit.product, visit.indication)
    if timeline is None:
        errors["indication"] = [
            f"The catalog has no expected timeline for {visit.product.brand_name} in this "
            "indication. An administrator can add it to the catalog first."
        ]
        return RuleCheck(errors, None, False, False)
    over_message = _over_maximum(patient, visit, timeline, total_units(sites), exclude)
    if over_message and not visit.over_maximum_confirmed:
        errors["over_maximum_confirmed"] = [over_message]
    site_message = _over_site_maximum(visit, timeline, sites)
    if site_message and not visit.over_site_maximum_confirmed:
        errors["over_site_maximum_confirmed"] = [site_message]
    gaps = early_gaps(patient, visit, timeline, exclude)
    early = early_message(gaps)
    pairs = [pair for _, pair, _ in gaps]
    if early is not None and not visit.early_reason.strip():
        errors["early_reason"] = [early]
    elif early is not None and keeps_another_pairs_reason(visit, exclude, pairs):
        errors["early_reason"] = [
            f"{early} The reason on record was written about another interval, before this "
            "correction: write the reason for this one."
        ]
    return RuleCheck(
        errors,
        timeline,
        is_early=early is not None,
        is_over_maximum=over_message is not None,
        is_over_site_maximum=site_message is not None,
        early_pair=pairs[0] if pairs else None,
        early_next_pair=pairs[1] if len(pairs) > 1 else None,
    )


def _over_maximum(
    patient: Patient,
    visit: VisitInput,
    timeline: ProductTimeline,
    total: Decimal,
    exclude: InjectionVisit | None,
) -> str | None:
    """The message when the total is above the usual maximum (see the module's rules)."""
    brand, indication = visit.product.brand_name, timeline.get_indication_display().lower()
    maximum = timeline.max_units_per_session
    if maximum is None:
        highest = highest_catalog_maximum(visit.product)
        if highest is None or total <= highest:
            return None
        return (
            f"The total of {format_units(total)} U {brand} is above the highest usual maximum "
            f"the catalog gives {brand} in any indication ({highest} U per session; none is "
            f"given for {indication}). Tick the box to confirm this total."
        )
    if total > maximum:
        return (
            f"The total of {format_units(total)} U {brand} is above the usual maximum of "
            f"{maximum} U per session for {indication}. Tick the box to confirm this total."
        )
    others = same_product_totals_near(
        patient,
        product=visit.product,
        indication=visit.indication,
        around=visit.date,
        days=MAXIMUM_SPAN_DAYS,
        exclude=exclude,
    )
    in_span = largest_total_in_span(visit.date, total, others, MAXIMUM_SPAN_DAYS)
    if in_span <= maximum:
        return None
    return (
        f"With the patient's other {brand} visits for {indication} within "
        f"{MAXIMUM_SPAN_DAYS} days, this makes {format_units(in_span)} U {brand} in "
        f"{MAXIMUM_SPAN_DAYS} days, above the usual maximum of {maximum} U. Tick the box to "
        "confirm this total."
    )


def units_per_point(site: SiteInput) -> Decimal:
    """The units each injection point of a row received (a row is one muscle and side,
    injected at ``points`` points)."""
    return site.units / site.points


def sites_over_site_maximum(
    sites: Sequence[SiteInput], timeline: ProductTimeline
) -> list[SiteInput]:
    """The rows whose injection points each received more units than the timeline's
    maximum per site (the label's "site" is one injection point); none when the timeline
    gives none. Units are the visit's product's, as the timeline's are."""
    maximum = timeline.max_units_per_site
    if maximum is None:
        return []
    return [site for site in sites if units_per_point(site) > maximum]


def _site_dose(site: SiteInput, brand: str) -> str:
    """'60 U Botox into Splenius capitis (right)', or with its points and the units per
    point when the row has several."""
    into = f"into {_site_name(site)}"
    if site.points == 1:
        return f"{format_units(site.units)} U {brand} {into}"
    each = format_units(units_per_point(site))
    return (
        f"{format_units(site.units)} U {brand} in {site.points} points {into} ({each} U per point)"
    )


def _site_name(site: SiteInput) -> str:
    """The muscle and side as the neurologist reads them ("Sternocleidomastoid (left)")."""
    return site.muscle.name if site.side == Side.MIDLINE else f"{site.muscle.name} ({site.side})"


def _in_words(parts: Sequence[str]) -> str:
    """The parts joined as "a", "a and b" or "a, b and c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _over_site_maximum(
    visit: VisitInput, timeline: ProductTimeline, sites: Sequence[SiteInput]
) -> str | None:
    """The message naming each site above the usual maximum per site, or None."""
    over = sites_over_site_maximum(sites, timeline)
    if not over:
        return None
    brand, indication = visit.product.brand_name, timeline.get_indication_display().lower()
    named = _in_words([_site_dose(site, brand) for site in over])
    verb, which = ("is", "this site") if len(over) == 1 else ("are", "these sites")
    return (
        f"{named} {verb} above the usual at most {timeline.max_units_per_site} U {brand} per "
        f"site for {indication}. Tick the box to confirm the units of {which}."
    )


def _raise_for(check: RuleCheck) -> None:
    if check.errors:
        raise ValidationError(check.errors)


def _visit_values(
    visit: VisitInput,
    check: RuleCheck,
    stored_reason: str = "",
    stored_pairs: tuple[int | None, int | None] = (None, None),
) -> dict[str, object]:
    """The values to store. ``stored_reason``, ``stored_pairs``: the early reason of the
    visit being corrected and the pairs it was written about (none for a new visit)."""
    values = {f.name: getattr(visit, f.name) for f in fields(visit)}
    values["lot_number"] = lot_number_as_stored(visit.lot_number)
    # The flags mean what they say: a confirmation only for a total (or a site) above the
    # maximum, a reason only for a visit that really was early.
    values["over_maximum_confirmed"] = check.is_over_maximum and visit.over_maximum_confirmed
    values["over_site_maximum_confirmed"] = (
        check.is_over_site_maximum and visit.over_site_maximum_confirmed
    )
    values["early_reason"] = early_reason_to_store(
        typed=visit.early_reason, is_early=check.is_early, stored=stored_reason
    )
    # The pairs the reason is written about go with it: the new ones when it is early.
    if check.is_early:
        pairs = (check.early_pair, check.early_next_pair)
        values["early_reason_pair_id"], values["early_reason_next_pair_id"] = (
            pair.pk if pair is not None else None for pair in pairs
        )
    else:
        values["early_reason_pair_id"], values["early_reason_next_pair_id"] = stored_pairs
    return values


def lot_number_as_stored(typed: str) -> str:
    """A lot number in its one stored form: upper-case, without surrounding spaces, inner
    runs of spaces as one ("c1234ab " and "C1234AB" are the same lot, found the same way).
    Lots recorded before this rule are kept as typed until a correction saves them."""
    return " ".join(typed.split()).upper()


def early_reason_to_store(*, typed: str, is_early: bool, stored: str) -> str:
    """The early reason a visit keeps: the one typed when the visit is early (the rules
    required it); otherwise the one it ``stored`` before. A visit recorded early and
    corrected (its lot, say) after it stopped being early keeps its reason: it is clinical
    history, shown as "Recorded as early". A new visit has none stored, so it keeps a
    reason only when it is early."""
    return typed.strip() if is_early else stored


def _save_site(site: InjectionSite, user, reason: str = "") -> None:
    site._history_user = user
    if reason:
        site._change_reason = reason
    site.full_clean()
    site.save()


def _save_visit(record: InjectionVisit) -> None:
    """Save the visit row in a savepoint.

    Two identical requests (a double click) can both pass ``full_clean()`` before either
    commits; the second then meets the database's unique constraint. It gets the
    constraint's own message, as ``full_clean()`` gives it, instead of an IntegrityError
    (a 500); the savepoint keeps the transaction usable and the caller's transaction rolls
    back on the ValidationError, so nothing of the second request is saved.
    """
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        _raise_if_already_recorded(record)
        raise


def _raise_if_already_recorded(record: InjectionVisit) -> None:
    """Check the model's constraints again, now that the other request's row is committed
    (and visible: PostgreSQL reports the conflict only once it has committed); an
    IntegrityError they do not explain is left to propagate."""
    for constraint in InjectionVisit._meta.constraints:
        constraint.validate(InjectionVisit, record)


def _announce(visit: InjectionVisit, previous_date: date | None = None) -> None:
    """Mark the patient's profile stale in this transaction (as a diary change does: the
    visit is never stored with a profile that passes for current), and after commit tell
    the listeners; ``previous_date`` is a corrected visit's old date."""
    cycle_profiles_mark_stale(patient_ids=[visit.patient_id])
    transaction.on_commit(
        lambda: injection_visit_changed.send(
            sender=InjectionVisit, visit=visit, previous_date=previous_date
        )
    )


def _require_sites(sites: Sequence[SiteInput]) -> None:
    if not sites:
        raise ValidationError({"sites": ["Add at least one injection site."]})


@transaction.atomic
def visit_create(
    *, patient: Patient, injector, visit: VisitInput, sites: Sequence[SiteInput]
) -> InjectionVisit:
    """Record a visit and its sites; raise ValidationError (nothing saved) on any rule."""
    _require_sites(sites)
    check = visit_rules(patient=patient, visit=visit, sites=sites)
    _raise_for(check)
    record = InjectionVisit(patient=patient, injector=injector, **_visit_values(visit, check))
    record._history_user = injector
    record.full_clean()
    refuse_ratings_left_outside(record)
    _save_visit(record)
    for site in sites:
        new = InjectionSite(
            visit=record, muscle=site.muscle, side=site.side, units=site.units, points=site.points
        )
        _save_site(new, injector)
    _announce(record)
    return record


@transaction.atomic
def visit_correct(
    *,
    visit: InjectionVisit,
    user,
    changes: VisitInput,
    sites: Sequence[SiteInput],
    reason: str,
    seen_revision: int | None = None,
) -> InjectionVisit:
    """Correct a visit and its sites. Every earlier value stays in the history with who
    corrected it, when and why (``reason``, required). Sites are matched by muscle and
    side: matching ones are updated, new ones created, missing ones removed.

    A visit entered in error is refused, checked again on the locked row: a colleague may
    have marked it so while this correction was being checked. So is a correction from a
    page opened before the visit was last saved (``seen_revision``, ``visit_revision`` as
    the page showed it): the page holds the values from before, and saving them would
    silently undo that change (SavedMeanwhile)."""
    _refuse_if_in_error(visit)
    if not reason.strip():
        raise ValidationError({"change_reason": [NO_CHANGE_REASON]})
    _require_sites(sites)
    check = visit_rules(patient=visit.patient, visit=changes, sites=sites, exclude=visit)
    _raise_for(check)
    record = InjectionVisit.objects.select_for_update().get(pk=visit.pk)
    _refuse_if_in_error(record)
    refuse_if_saved_meanwhile(
        record, seen_revision, what="visit", shown="the change is listed below"
    )
    previous_date = record.date
    values = _visit_values(
        changes,
        check,
        record.early_reason,
        (record.early_reason_pair_id, record.early_reason_next_pair_id),
    )
    _refuse_if_unchanged(record, values, sites)
    for field, value in values.items():
        setattr(record, field, value)
    record._history_user = user
    record._change_reason = reason.strip()
    record.full_clean()
    refuse_ratings_left_outside(record)
    _save_visit(record)
    _replace_sites(record, sites, user, reason.strip())
    _announce(record, previous_date)
    return record


def _refuse_if_unchanged(
    record: InjectionVisit, values: dict[str, object], sites: Sequence[SiteInput]
) -> None:
    """Refuse a correction that would store exactly what is stored (a visit's values and
    its sites): it corrected nothing, so its reason would explain no change."""
    if any(getattr(record, name) != value for name, value in values.items()):
        return
    stored = {(s.muscle_id, s.side, s.units, s.points) for s in record.sites.all()}
    if stored == {(s.muscle.pk, s.side, s.units, s.points) for s in sites}:
        raise ValidationError(NOTHING_CORRECTED)


def _refuse_if_in_error(visit: InjectionVisit) -> None:
    if visit.entered_in_error:
        raise ValidationError("A visit entered in error cannot be corrected.")


def _replace_sites(visit: InjectionVisit, sites: Sequence[SiteInput], user, reason: str) -> None:
    existing = {(s.muscle_id, s.side): s for s in visit.sites.all()}
    wanted = {(s.muscle.pk, s.side): s for s in sites}
    for key, site in existing.items():
        if key not in wanted:
            site._history_user = user
            site._change_reason = reason
            site.delete()
    for key, given in wanted.items():
        site = existing.get(key)
        if site is None:
            site = InjectionSite(visit=visit, muscle=given.muscle, side=given.side)
        elif site.units == given.units and site.points == given.points:
            continue
        site.units, site.points = given.units, given.points
        _save_site(site, user, reason)


@transaction.atomic
def visit_mark_entered_in_error(*, visit: InjectionVisit, user, reason: str) -> InjectionVisit:
    """Flag a visit as entered in error (kept, shown struck through, left out of the
    analysis). ``reason`` is required and kept whole: one longer than the field (300
    characters) is refused by ``full_clean()``, never cut. Marking twice is refused."""
    record = mark_entered_in_error(
        InjectionVisit,
        visit.pk,
        user=user,
        reason=reason,
        no_reason="Say why the visit was entered in error.",
        already="This visit is already marked as entered in error.",
    )
    _announce(record)
    return record
