"""Reading patient records for administrative pages: the list, invitations, neurologists;
and the zone a patient's own pages tell the time in."""

from __future__ import annotations

import hashlib
from datetime import tzinfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from clinic.access import LOOKS_AFTER_PATIENTS, NEUROLOGIST, PATIENT, has_role, looks_after_patients
from clinic.models import User
from patients.access import Purpose, patients_visible_to
from patients.days import patient_zone
from patients.models import AffectedRegion, Invitation, Patient
from patients.selectors.search import patient_search_filter
from patients.services.registration import PATIENT_FIELDS


def record_fingerprint(patient: Patient) -> str:
    """A digest of what the record form edits, as stored now: the record's fields
    (``PATIENT_FIELDS``), the care team and the affected regions. A save from a page opened
    at another digest would undo a change made meanwhile; changes the form does not hold
    (the patient's reminder choices, the account linked) leave it as it was."""
    values = [(name, str(getattr(patient, name))) for name in sorted(PATIENT_FIELDS)]
    team = sorted(patient.care_team.values_list("pk", flat=True))
    regions = sorted(
        AffectedRegion.objects.filter(patient=patient).values_list("region_id", "side")
    )
    return hashlib.sha256(repr((values, team, regions)).encode()).hexdigest()[:32]


def open_invitations(now=None) -> QuerySet[Invitation]:
    """Invitations whose link still works: not used, not revoked, not expired."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )


# By surname as a person reads it, whatever its letter case ("de Vries" among the D's, not
# after "Young" as SQLite's byte order puts it); the primary key keeps pages stable.
ALPHABETICAL = (Lower("last_name"), Lower("first_name"), "pk")


def patient_list(user, query: str = "", *, without_neurologist: bool = False) -> QuerySet[Patient]:
    """The patients ``user`` may administer, matching every word of ``query``; with
    ``without_neurologist``, only those with no active neurologist on their care team.

    Each word (``search_words``: "Pearson, Leroy" is two) must occur in the first name,
    last name or medical record number, whatever its case and accents, and each birth date
    named must be the patient's (``patient_search_filter``). Rows carry
    ``invitation_expires_at`` (the open invitation's expiry or None),
    ``invitation_expired_at`` (when the last invitation's link ran out unused, or None) and
    the linked user, and ``care_team_list`` (the members by name, prefetched), so a page of
    the list is a fixed number of queries.
    """
    patients = patients_visible_to(user, Purpose.ADMINISTRATIVE)
    if without_neurologist:
        patients = patients.filter(WITHOUT_ACTIVE_NEUROLOGIST)
    if query.strip():
        patients = patients.filter(patient_search_filter(query))
    latest_open = open_invitations().filter(patient=OuterRef("pk")).order_by("-expires_at")
    latest_expired = expired_invitations().filter(patient=OuterRef("pk")).order_by("-expires_at")
    members = User.objects.order_by("last_name", "first_name", "username")
    return (
        patients.select_related("user")
        .prefetch_related(Prefetch("care_team", queryset=members, to_attr="care_team_list"))
        .annotate(
            invitation_expires_at=Subquery(latest_open.values("expires_at")[:1]),
            invitation_expired_at=Subquery(latest_expired.values("expires_at")[:1]),
        )
        .order_by(*ALPHABETICAL)
    )


def open_invitation_for(patient: Patient) -> Invitation | None:
    """The patient's current invitation if its link still works."""
    return open_invitations().filter(patient=patient).order_by("-created").first()


def expired_invitations(now=None) -> QuerySet[Invitation]:
    """Invitations whose link ran out unused: sent, never revoked (a newer invitation or a
    corrected address revokes one), past their expiry."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
    )


def expired_invitation_for(patient: Patient) -> Invitation | None:
    """The patient's last invitation when its link expired unused and none replaced it."""
    return expired_invitations().filter(patient=patient).order_by("-expires_at").first()


# A patient still under the clinic's care none of whose care team may look after them (an
# empty team included); one who left care (died, discharged, moved) needs nobody new.
WITHOUT_ACTIVE_NEUROLOGIST = Q(left_care_on__isnull=True) & ~Exists(
    Patient.care_team.through.objects.filter(
        patient=OuterRef("pk"), user__in=User.objects.filter(LOOKS_AFTER_PATIENTS)
    )
)


def has_active_neurologist(patient: Patient) -> bool:
    """Whether someone on ``patient``'s care team may look after them (and so correct
    their diary): an active neurologist (``WITHOUT_ACTIVE_NEUROLOGIST`` is the opposite)."""
    return patient.care_team.filter(LOOKS_AFTER_PATIENTS).exists()


def neurologists() -> QuerySet[User]:
    """Active neurologists, who may form a patient's care team."""
    return User.objects.filter(LOOKS_AFTER_PATIENTS).order_by("last_name", "first_name", "username")


def without_neurologist_count(user) -> int:
    """How many of the patients ``user`` may administer have no active neurologist."""
    return (
        patients_visible_to(user, Purpose.ADMINISTRATIVE).filter(WITHOUT_ACTIVE_NEUROLOGIST).count()
    )


SWITCHED_OFF = "account switched off"
NO_LONGER_NEUROLOGIST = "no longer a neurologist"


def care_team_label(member: User) -> str:
    """A care-team member's name as staff see it: marked when the account can no longer
    look after the patient (switched off, or another role), so that staff reassign them."""
    name = member.get_full_name() or member.get_username()
    if not member.is_active:
        return f"{name} ({SWITCHED_OFF})"
    if member.role != NEUROLOGIST:
        return f"{name} ({NO_LONGER_NEUROLOGIST})"
    return name


def care_team_left(patient: Patient) -> list[str]:
    """Labels of the patient's care-team members who can no longer look after them."""
    return [
        care_team_label(member)
        for member in patient.care_team.all()
        if not looks_after_patients(member)
    ]


def own_time_zone(user) -> tzinfo | None:
    """The zone a patient's own pages show times in (their record's ``time_zone``, the
    clinic's for a name this server does not know: ``patient_zone``); None for any other
    user or an unlinked account, whose pages keep the clinic's zone. One query for a
    patient, none otherwise."""
    if not has_role(user, PATIENT):
        return None
    name = Patient.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return None if name is None else patient_zone(name)
