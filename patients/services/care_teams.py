"""Handing a neurologist's patients over to another (``care_team_handover``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from clinic.access import looks_after_patients
from clinic.models import User
from clinic.notify import CARE_TEAM_JOINED, enqueue_on_commit, queue_notification
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
    if changed:
        _tell_target(target, source, len(changed), keep_source=keep_source)
    return Handover(changed=changed, own_records=own)


def _tell_target(target: User, source: User, count: int, *, keep_source: bool) -> None:
    """An inbox message (and the email beside it) to the neurologist who takes the
    patients: a count and the colleague's name, never a patient's."""
    name = source.get_full_name() or source.get_username()
    how = f"beside {name}, who stays on it" if keep_source else f"in place of {name}"
    text = (
        f"You are now on the care team of {count} patient{'' if count == 1 else 's'}, "
        f"{how}. They are on My patients."
    )
    delivery = queue_notification(
        recipient=target,
        kind=CARE_TEAM_JOINED,
        key=f"handover-{uuid.uuid4().hex}",
        text=text,
        link=reverse("treatments:neurologist_home"),
    )
    enqueue_on_commit([delivery])
