"""Reads of assessments (rating-scale totals)."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format
from simple_history.models import DeletedObject

from patients.models import Patient
from treatments import scales
from treatments.models import Assessment, InjectionVisit
from treatments.selectors.history import (
    KINDS,
    NO_VALUE,
    HistoryLine,
    field_value,
    record_text,
    who,
)
from treatments.units import format_units


def assessments_for_patient(patient: Patient, *, with_in_error: bool = True) -> list[Assessment]:
    """The patient's ratings, newest first, with the visit they belong to (one query).

    Each carries ``shown_visit``: its visit, or None when it has none or when that visit is
    entered in error and ``with_in_error`` is False (``sees_entered_in_error``: the patient
    is not shown such a visit, not even by its date, as it is most often another person's
    treatment)."""
    ratings = list(
        Assessment.objects.filter(patient=patient)
        .select_related("visit__product", "rated_by")
        .order_by("-date", "scale")
    )
    for rating in ratings:
        visit = rating.visit
        hidden = visit is not None and visit.entered_in_error and not with_in_error
        rating.shown_visit = None if hidden else visit
    return ratings


def assessment_for_patient(patient: Patient, assessment_uuid: uuid.UUID) -> Assessment:
    """The patient's rating with that UUID, or 404."""
    return get_object_or_404(Assessment, patient=patient, uuid=assessment_uuid)


def same_rating_recorded(rating: Assessment) -> bool:
    """Whether the patient already has a rating with exactly the values of ``rating``
    (unsaved): date, scale, visit, total and subscores. Such a second one is a double
    submit. One query (the few ratings of that day and scale)."""
    same_day = Assessment.objects.filter(
        patient_id=rating.patient_id,
        date=rating.date,
        scale=rating.scale,
        visit_id=rating.visit_id,
        total=rating.total,
    ).values_list("subscores", flat=True)
    return any(subscores == rating.subscores for subscores in same_day)


def visits_to_rate(patient: Patient, keep_visit_id: int | None = None) -> QuerySet[InjectionVisit]:
    """Visits a rating may be attached to: the patient's, not entered in error; and the
    visit a corrected rating already belongs to (``keep_visit_id``), even if that visit was
    marked entered in error since, so the rating can be corrected without detaching it."""
    offered = (
        Q(entered_in_error=False) | Q(pk=keep_visit_id)
        if keep_visit_id
        else Q(entered_in_error=False)
    )
    return (
        InjectionVisit.objects.filter(offered, patient=patient)
        .select_related("product")
        .order_by("-date")
    )


# The rating's values its history shows, in the form's order and with its labels: not its
# identity (id, uuid, patient) nor who first rated it (the "created" line names them).
_ASSESSMENT_FIELDS = tuple(
    Assessment._meta.get_field(name) for name in ("date", "scale", "visit", "total", "subscores")
)
_ASSESSMENT_LABELS = {
    "date": "Date of the rating",
    "scale": "Scale",
    "visit": "At injection visit",
    "total": "Total",
    "subscores": "Subscores",
}


def _subscores_text(subscores: dict, scale: str) -> str:
    """ "Severity 20 · Disability 12 · Pain 8": the subscores in ``scale``'s order with its
    part names, as the rating list writes them; a key the scale does not know (never saved
    by the form) is shown by its key, after the known ones."""
    spec = scales.SCALES.get(scale)
    labels = {part.key: part.label for part in spec.parts} if spec else {}
    keys = [key for key in labels if key in subscores]
    keys += [key for key in subscores if key not in labels]
    return " · ".join(f"{labels.get(key, key)} {format_units(subscores[key])}" for key in keys)


def visit_label(visit: InjectionVisit) -> str:
    """A rating's visit as the rating pages name it: "7 Dec 2026, Botox, Cervical dystonia",
    marked "(entered in error)" when it is. The indication tells apart the visits of one
    session (a day may hold one visit per indication of the same product)."""
    label = (
        f"{date_format(visit.date, 'j M Y')}, {visit.product.brand_name}, "
        f"{visit.get_indication_display()}"
    )
    return f"{label} (entered in error)" if visit.entered_in_error else label


def _assessment_value(field, value: object, record) -> str:
    """One value of a rating as the rating pages write it: the total without trailing
    zeros, the subscores by part name with the scale of ``record`` (a correction of the
    scale shows each side with its own scale's parts), the visit as ``visit_label`` names
    it (as the form's choice of visit does), "—" for no visit,
    anything else as ``history.field_value`` writes it."""
    if value is None or value == "" or value == {}:
        return NO_VALUE
    if field.name == "total":
        return format_units(value)
    if field.name == "subscores":
        return _subscores_text(value, record.scale)
    if isinstance(value, InjectionVisit):
        return visit_label(value)
    if isinstance(value, DeletedObject):
        # diff_against's stand-in for a visit it cannot load: no visit (pk None), or one
        # deleted since (a visit is marked entered in error, never deleted, so rarely).
        return NO_VALUE if value.pk is None else "a visit no longer on record"
    return field_value(field, value)


def assessment_history(assessment: Assessment) -> list[HistoryLine]:
    """Every recorded change of the rating, newest first, in one query whatever its length
    (the records with their author and visit's product).

    "Rating created" lists the values first recorded; "Rating changed" lists each changed
    field with its value before and after ("Total: 40 → 38"), with who changed it, when
    and the reason they gave."""
    records = list(
        assessment.history.select_related("history_user", "visit__product").order_by("history_date")
    )
    lines = [
        HistoryLine(
            newer.history_date,
            who(newer),
            f"Rating {KINDS.get(newer.history_type, '')}",
            record_text(
                older,
                newer,
                fields=_ASSESSMENT_FIELDS,
                labels=_ASSESSMENT_LABELS,
                value=_assessment_value,
            ),
            newer.history_change_reason or "",
        )
        for older, newer in zip([None, *records], records, strict=False)
    ]
    return lines[::-1]
