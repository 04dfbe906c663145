"""Handing a neurologist's patients over to another (``care_team_handover``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.access import looks_after_patients
from clinic.models import User
from patients.access import is_own_record
from patients.models import Patient


@dataclass(frozen=True)
class Handover:
    """What a hand-over did: the records changed, and those left as they were because
    they are the taking neurologist's own (``is_own_record``)."""

    changed: list[Patient]
    own_records: list[Patient]


@transaction.atomic
def care_team_handover(
    *, patients: Sequence[Patient], source: User, target: User, keep_source: bool
) -> Handover:
    """Put ``target`` on the care team of each of ``patients`` (those ``source`` is on);
    without ``keep_source``, take ``source`` off it. A record open on someone's page
    meanwhile is refused when saved from it (its fingerprint holds the care team).

    Raises ``ValidationError`` (nothing changed) when ``target`` is not an active
    neurologist or is ``source``.
    """
    if not looks_after_patients(target) or target.pk == source.pk:
        raise ValidationError({"target": "Choose another active neurologist."})
    changed, own = [], []
    for patient in Patient.objects.select_for_update().filter(
        pk__in=[p.pk for p in patients], care_team=source
    ):
        if is_own_record(target, patient):
            own.append(patient)
            continue
        patient.care_team.add(target)
        if not keep_source:
            patient.care_team.remove(source)
        patient.save(update_fields=["updated"])
        changed.append(patient)
    return Handover(changed=changed, own_records=own)
