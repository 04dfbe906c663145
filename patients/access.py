"""Which patients a user may see: the one place for that rule.

Two purposes:
- ``CLINICAL`` (diary, charts, injections): the patient themself and the neurologists on
  the care team. Staff and admins see no clinical data.
- ``ADMINISTRATIVE`` (registration, contact details, follow-ups): staff and admins see
  every patient, neurologists their care team, patients nobody through this door.

Emergency access (break-glass): for ``CLINICAL`` a neurologist also sees the patients of
their unexpired ``EmergencyAccess`` grants. Those patients carry ``emergency_until`` (the
grant's end; None for the care team), which the page banner reads.

A neurologist who is also a patient of the clinic (one person, one email address: a
password reset reaches each account of it) never opens their own record with the
clinician's account, whatever the care team or a grant says (``is_own_record``): they see
it as a patient, by the patient's rules, and their colleagues look after them.

Outside scope a patient is answered with 404, so no record's existence is revealed; the
refusal of a patient's page is a ``refused`` audit event (who tried to open whom).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import wraps

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from clinic.access import ADMIN, NEUROLOGIST, PATIENT, STAFF, has_role
from clinic.audit import record_event
from clinic.models import AuditEvent, EmergencyAccess
from clinic.rows import by_unique
from patients.models import Patient


class Purpose(StrEnum):
    """What a page does with a patient's record.

    CLINICAL: read clinical data (the care team, and a neurologist holding a live
    break-glass grant). RECORD: record or correct clinical data — visits, treatments,
    ratings, diary corrections — the care team only: a grant opens a patient's pages, it
    does not make its holder one who records (DESIGN §4). ADMINISTRATIVE: registration
    and contact details.
    """

    CLINICAL = "clinical"
    RECORD = "record"
    ADMINISTRATIVE = "administrative"


def own_records(user) -> Q:
    """The records of the person behind ``user``: the same email address, in any letter
    case; none when the account has no address."""
    address = (getattr(user, "email", "") or "").strip()
    return Q(email__iexact=address) if address else Q(pk__in=[])


def is_own_record(user, patient: Patient) -> bool:
    """Whether ``patient``'s record is the person's behind the (clinician's) ``user``."""
    address = (getattr(user, "email", "") or "").strip().casefold()
    return bool(address) and (patient.email or "").strip().casefold() == address


def patients_visible_to(
    user, purpose: Purpose = Purpose.CLINICAL, now: datetime | None = None
) -> QuerySet[Patient]:
    """The patients ``user`` may see for ``purpose``; empty for anonymous or inactive users.

    ``now`` (default: the present) is the moment emergency grants are live at."""
    patients = Patient.objects.all()
    if has_role(user, PATIENT):
        return patients.filter(user=user) if purpose == Purpose.CLINICAL else patients.none()
    if has_role(user, NEUROLOGIST):
        patients = patients.exclude(own_records(user))
        if purpose != Purpose.CLINICAL:
            return patients.filter(care_team=user)
        care_team = Patient.objects.filter(care_team=user).values("pk")
        live = timezone.now() if now is None else now
        grants = EmergencyAccess.objects.filter(neurologist=user, expires__gt=live)
        # The filter reads the (few) live grants once; the annotation, for the banner, is
        # then computed only for the rows returned, not for every patient of the clinic.
        latest = grants.filter(patient_uuid=OuterRef("uuid")).order_by("-expires")
        patients = patients.annotate(emergency_until=Subquery(latest.values("expires")[:1]))
        return patients.filter(Q(pk__in=care_team) | Q(uuid__in=grants.values("patient_uuid")))
    if has_role(user, STAFF, ADMIN) and purpose == Purpose.ADMINISTRATIVE:
        return patients
    return patients.none()


def patient_uuids_visible_to(user, now: datetime | None = None) -> QuerySet[Patient]:
    """The UUIDs of the patients ``user`` may see clinically at ``now`` (a subquery for
    other apps: the inbox shows a message about a patient only to those who may see the
    patient)."""
    return patients_visible_to(user, Purpose.CLINICAL, now).values("uuid")


def may_record(user, patient: Patient) -> bool:
    """Whether ``user`` may record or correct ``patient``'s clinical data (one query)."""
    return patients_visible_to(user, Purpose.RECORD).filter(pk=patient.pk).exists()


def get_patient_for(
    user, patient_id: uuid.UUID | str, purpose: Purpose = Purpose.CLINICAL
) -> Patient:
    """The patient with UUID ``patient_id`` if ``user`` may see it for ``purpose``, else 404."""
    try:
        return patients_visible_to(user, purpose).get(uuid=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient") from None


def patient_view(purpose: Purpose) -> Callable:
    """Decorate a view taking ``patient_uuid``: it receives the resolved ``patient`` instead.

    The access policy reads ``patient:<purpose>``; combine with a role decorator outside it
    when only some roles may use the page (wrong role -> 403, out of scope -> 404).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, patient_uuid, *args, **kwargs) -> HttpResponse:
            try:
                patient = get_patient_for(request.user, patient_uuid, purpose)
            except Http404:
                record_refusal(request, patient_uuid)
                raise
            return view(request, patient, *args, **kwargs)

        wrapper.access_policy = f"patient:{purpose}"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def record_refusal(request: HttpRequest, patient_uuid) -> None:
    """A page of a patient (or of their follow-up) refused for being out of scope: a
    ``refused`` audit event (who tried to open whom), naming the patient when the UUID is
    a patient's."""
    named = patient_uuid if Patient.objects.filter(uuid=patient_uuid).exists() else None
    record_event(request=request, action=AuditEvent.Action.REFUSED, patient_uuid=named)


def patient_for_emergency_access(user, medical_record_number: str) -> Patient | None:
    """The patient with exactly this record number, for a neurologist breaking the glass.

    The one lookup outside the care-team scope: it shows no list and matches no part of a
    number; the caller creates the audited grant before anything of the patient is shown.
    """
    if not has_role(user, NEUROLOGIST) or not medical_record_number:
        return None
    return Patient.objects.filter(medical_record_number__iexact=medical_record_number).first()


def own_patient(user) -> Patient:
    """The signed-in patient's own record; 404 when the account is linked to none.

    ``patients_visible_to(user).filter(user=user).first()``, which for a patient is their
    own row (the link is one to one), read in one prebuilt statement (``clinic.rows``):
    every page of a patient reads it.
    """
    patient = None
    if has_role(user, PATIENT):
        patient = by_unique(Patient, "user", user.pk)
    if patient is None:
        raise Http404("No patient record for this account")
    return patient
