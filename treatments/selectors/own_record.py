"""A patient's own record as plain data, for the file they download (the right of access).

What the patient is shown in the app, all of it, in one structure of JSON types: their
details and affected regions, every diary day with its region scores, their injection
visits with sites, their ratings and their other treatments. Visits entered in error are
left out, as on the patient's pages (``sees_entered_in_error``): such a visit is most often
another person's treatment recorded on the wrong patient, and a rating linked to one shows
no visit. Booked appointments (review calls, reinjection visits) are listed with their
status. Units are the visit's own product's and say so; nothing is summed across visits.

Dates are ISO 8601 strings, decimal values (units, dilutions, rating totals) strings of
the exact stored value without trailing zeros ("12.5"), so no value is rounded on the way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from clinic.access import LOOKS_AFTER_PATIENTS
from patients.models import AffectedRegion, DiaryEntry, Patient, RegionSeverity
from patients.selectors.diary import affected_regions
from treatments.models import FollowUp, InjectionSite
from treatments.selectors.assessments import assessments_for_patient
from treatments.selectors.courses import courses_for_patient
from treatments.selectors.visits import visits_for_patient
from treatments.units import format_units

# Bumped when a field changes meaning or leaves; new fields do not bump it.
FORMAT_VERSION = 1
FORMAT_NAME = "dystonia-clinic-patient-record"

Json = dict[str, Any]


def own_record(*, patient: Patient, exported_at: datetime) -> Json:
    """Everything listed in the module docstring for ``patient``, oldest first in each
    list. A fixed number of queries whatever the record holds."""
    regions = affected_regions(patient)
    region_names = {region.pk: _region(region) for region in regions}
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "patient": _details(patient, regions),
        "diary": _diary(patient, region_names),
        "injections": _injections(patient),
        "ratings": _ratings(patient),
        "other_treatments": _courses(patient),
        "appointments": _appointments(patient),
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _decimal(value: Decimal | None) -> str | None:
    return format_units(value) if value is not None else None


def _clock(value: time | str) -> str:
    """'19:00' (a new record's default is still the string it was given)."""
    return value.strftime("%H:%M") if isinstance(value, time) else str(value)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _region(region: AffectedRegion) -> Json:
    return {"region": region.region.name, "side": region.side}


def _details(patient: Patient, regions: list[AffectedRegion]) -> Json:
    return {
        "medical_record_number": patient.medical_record_number,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": _iso(patient.date_of_birth),
        "email": patient.email,
        "phone": patient.phone,
        "distribution": patient.get_distribution_display(),
        "etiology": patient.get_etiology_display(),
        "etiology_detail": patient.etiology_detail,
        "diagnosis_date": _iso(patient.diagnosis_date),
        "registered_on": _iso(patient.registered_on),
        "time_zone": patient.time_zone,
        "diary_reminder": {
            "enabled": patient.reminder_enabled,
            "time": _clock(patient.reminder_time),
        },
        # Those who look after the patient now: one who left stays on the care team
        # until staff choose another, but is nobody for the patient to turn to.
        "care_team": sorted(
            _person(user) for user in patient.care_team.filter(LOOKS_AFTER_PATIENTS)
        ),
        "affected_regions": [_region(region) for region in regions],
    }


def _diary(patient: Patient, region_names: dict[int, Json]) -> list[Json]:
    entries = (
        DiaryEntry.objects.filter(patient=patient)
        .select_related("entered_by")
        .prefetch_related(
            Prefetch(
                "regions",
                queryset=RegionSeverity.objects.only("entry", "affected_region", "severity"),
            )
        )
        .order_by("date")
    )
    return [
        {
            "date": _iso(entry.date),
            "overall_severity": entry.severity,
            "pain": entry.pain,
            "interference": entry.interference,
            "triggers": entry.trigger_labels,
            "note": entry.note,
            "regions": [
                {**region_names[score.affected_region_id], "severity": score.severity}
                for score in entry.regions.all()
                if score.affected_region_id in region_names
            ],
            "entered_by": "you"
            if entry.entered_by_id is not None and entry.entered_by_id == patient.user_id
            else _person(entry.entered_by),
            "correction_reason": entry.correction_reason,
            "last_saved": _iso(entry.updated),
        }
        for entry in entries
    ]


def _injections(patient: Patient) -> list[Json]:
    visits = visits_for_patient(patient, with_in_error=False)
    sites = InjectionSite.objects.filter(visit__in=[v.pk for v in visits]).select_related("muscle")
    by_visit: dict[int, list[InjectionSite]] = {}
    for site in sites:
        by_visit.setdefault(site.visit_id, []).append(site)
    return [
        {
            "date": _iso(visit.date),
            "indication": visit.get_indication_display(),
            "product": visit.product.brand_name,
            "product_generic_name": visit.product.generic_name,
            "lot_number": visit.lot_number,
            "lot_expiry": _iso(visit.lot_expiry),
            "dilution_units_per_ml": _decimal(visit.dilution_units_per_ml),
            "guidance": visit.get_guidance_display(),
            "injector": _person(visit.injector),
            # Units of this visit's product only: never add them to another product's.
            "units_of": visit.product.brand_name,
            "total_units": _decimal(visit.total_units),
            "sites": [
                {
                    "muscle": site.muscle.name,
                    "side": site.get_side_display(),
                    "units": _decimal(site.units),
                    "points": site.points,
                }
                for site in by_visit.get(visit.pk, [])
            ],
            "notes": visit.notes,
            "early_reason": visit.early_reason,
        }
        for visit in reversed(visits)
    ]


def _ratings(patient: Patient) -> list[Json]:
    ratings = assessments_for_patient(patient, with_in_error=False)
    return [
        {
            "date": _iso(rating.date),
            "scale": rating.get_scale_display(),
            "total": _decimal(rating.total),
            "subscores": {part["label"]: part["value"] for part in rating.parts},
            "visit_date": _iso(rating.shown_visit.date) if rating.shown_visit else None,
            "rated_by": _person(rating.rated_by),
        }
        for rating in reversed(ratings)
    ]


def _courses(patient: Patient) -> list[Json]:
    courses = courses_for_patient(patient).order_by("start", "name")
    return [
        {
            "kind": course.get_kind_display(),
            "name": course.name,
            "dose": course.dose_text,
            "start": _iso(course.start),
            "end": _iso(course.end),
            "notes": course.notes,
        }
        for course in courses
    ]


def _appointments(patient: Patient) -> list[Json]:
    """The review calls and reinjection visits booked for the patient (as they were told of
    them), with their status now; not staff's reasons for closing one, which are never
    sent to the patient either."""
    booked = FollowUp.objects.filter(patient=patient, scheduled_at__isnull=False).order_by(
        "scheduled_at", "pk"
    )
    return [
        {
            "kind": followup.get_kind_display(),
            "time": _iso(followup.scheduled_at),
            "status": followup.get_status_display(),
        }
        for followup in booked
    ]
