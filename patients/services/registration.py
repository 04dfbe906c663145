"""Registering and editing patients; their reminder preferences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic import meanwhile
from clinic.models import User
from patients.access import is_own_record
from patients.models import AffectedRegion, BodyRegion, Patient, mrn_taken
from patients.selectors.diary import region_ids_with_diary
from patients.selectors.search import person_name_key
from patients.services.invitations import revoke_open_invitations

# The fields a registration form may set; anything else in ``fields`` is refused.
PATIENT_FIELDS = frozenset(
    {
        "medical_record_number",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "distribution",
        "etiology",
        "etiology_detail",
        "diagnosis_date",
        "time_zone",
        "registered_on",
    }
)


@dataclass(frozen=True)
class RegionChoice:
    """One affected region as registered: a catalog region and a side ("" when not lateral)."""

    region: BodyRegion
    side: str = ""

    @property
    def key(self) -> tuple[int, str]:
        return (self.region.pk, self.side)


def _set_fields(patient: Patient, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - PATIENT_FIELDS
    if unknown:
        raise ValueError(f"Not patient fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(patient, name, value)


def _check_care_team(care_team: Sequence[User], patient: Patient) -> None:
    """Only neurologists, and none on their own record's care team (``is_own_record``):
    a clinician who is a patient is looked after by colleagues."""
    if any(member.role != User.Role.NEUROLOGIST for member in care_team):
        raise ValidationError({"care_team": "Only neurologists can be on a care team."})
    for member in care_team:
        if is_own_record(member, patient):
            name = member.get_full_name() or member.get_username()
            raise ValidationError(
                {
                    "care_team": (
                        f"{name} cannot be on their own care team (the record's email "
                        "address is theirs): choose a colleague to look after them."
                    )
                }
            )


def _sync_regions(patient: Patient, regions: Sequence[RegionChoice]) -> None:
    """Make the patient's affected regions exactly ``regions``.

    A region that already holds diary scores is never removed (that would delete the
    patient's records); trying raises ``ValidationError``.
    """
    wanted = {choice.key: choice for choice in regions}
    current = {(row.region_id, row.side): row for row in patient.regions.all()}
    removed = [row for key, row in current.items() if key not in wanted]
    kept_data = region_ids_with_diary(patient)
    blocked = [row for row in removed if row.pk in kept_data]
    if blocked:
        names = ", ".join(row.label for row in blocked)
        raise ValidationError(
            {"regions": f"{names} already has diary scores and cannot be removed."}
        )
    for row in removed:
        row.delete()
    for key, choice in wanted.items():
        if key not in current:
            row = AffectedRegion(patient=patient, region=choice.region, side=choice.side)
            row.full_clean(exclude=["patient"])
            row.save()


def _save_patient(patient: Patient) -> None:
    """Save the patient row in a savepoint.

    Two requests with the same medical record number (a double click on "Register", or two
    records changed to one number) can both pass ``full_clean()`` before either commits;
    the second then meets the database's unique index. It gets the field's own message, as
    ``full_clean()`` gives it, instead of an IntegrityError (a 500); the savepoint keeps the
    transaction usable and the caller's transaction rolls back on the ValidationError, so
    nothing of the second request is saved (no care team, no regions).
    """
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        _raise_if_record_number_taken(patient)
        raise


def _raise_if_record_number_taken(patient: Patient) -> None:
    """The uniqueness check again, now that the other request's row is committed (and
    visible: PostgreSQL reports the conflict only once it has committed); an IntegrityError
    it does not explain is left to propagate."""
    field = "medical_record_number"
    if mrn_taken(patient.medical_record_number, but=patient.pk):
        raise ValidationError({field: patient.unique_error_message(Patient, (field,))})


class PossibleDuplicate(ValidationError):
    """A registration refused because a patient of the same name and date of birth is
    already registered (under another record number: a typo, a referral's number): a second
    record would split the diary, injections and follow-ups of one person in two. Confirming
    that this is another person (``different_person``) registers them. ``namesakes`` are
    the records it names; ``without_numbers`` is the same refusal for a user who may not
    open them (a neurologist outside their care team)."""

    def __init__(
        self, patient: Patient, namesakes: Sequence[Patient], *, numbers_shown: bool = True
    ) -> None:
        self.patient = patient
        self.namesakes = list(namesakes)
        born = patient.date_of_birth
        numbers = ", ".join(
            other.medical_record_number
            if other.date_of_birth == born
            else f"{other.medical_record_number}, born {other.date_of_birth.day} "
            f"{other.date_of_birth:%B %Y}"
            for other in namesakes
        )
        if not numbers_shown:
            advice = "ask the clinic's staff about that record"
        elif patient.pk is None:
            advice = "open that record instead of registering them again"
        else:
            advice = "check that record before giving this one the same name and birth date"
        where = f" (record number {numbers})" if numbers_shown else ""
        again = "register again" if patient.pk is None else "save again"
        super().__init__(
            f"{patient.full_name}, born {born.day} {born:%B %Y}, is already registered"
            f"{where}. Nothing was saved: {advice}. If this is another "
            f"person, tick the box below and {again}."
        )

    def without_numbers(self) -> PossibleDuplicate:
        return PossibleDuplicate(self.patient, self.namesakes, numbers_shown=False)


def _identity(patient: Patient) -> tuple:
    """Who the record names: its name (``person_name_key``: any case, accents, hyphens or
    apostrophes, either order) and birth date."""
    return (person_name_key(patient.first_name, patient.last_name), patient.date_of_birth)


def _refuse_a_second_record(patient: Patient, *, different_person: bool) -> None:
    """Raise ``PossibleDuplicate`` when another record names the same person, unless staff
    confirmed that this is someone else (``different_person``)."""
    if not different_person and (same := namesakes(patient)):
        raise PossibleDuplicate(patient, same)


def birth_date_readings(born: date) -> set[date]:
    """``born`` and, when its day could be a month, the date with day and month swapped
    (3 February 1970 typed as 2 March: a date read the other country's way round)."""
    readings = {born}
    if born.day <= 12 and born.day != born.month:  # a month number <= 12 is a day of any month
        readings.add(born.replace(month=born.day, day=born.month))
    return readings


def namesakes(patient: Patient) -> list[Patient]:
    """Other patients born on ``patient``'s date of birth (or on it with day and month
    swapped: ``birth_date_readings``) whose name is theirs spelt another way
    (``person_name_key``: letter case, accents, a hyphen or apostrophe, first and last name
    swapped), by record number. Birth dates are shared by few records, so the names are
    compared here rather than in SQL."""
    same_day = (
        Patient.objects.filter(date_of_birth__in=birth_date_readings(patient.date_of_birth))
        .exclude(pk=patient.pk)
        .order_by("medical_record_number")
    )
    key = person_name_key(patient.first_name, patient.last_name)
    return [
        other for other in same_day if person_name_key(other.first_name, other.last_name) == key
    ]


@transaction.atomic
def patient_create(
    *,
    fields: Mapping[str, Any],
    care_team: Sequence[User],
    regions: Sequence[RegionChoice],
    different_person: bool = False,
) -> Patient:
    """Register a patient with their affected regions and care team.

    Raises ``ValidationError`` (nothing saved) for invalid fields, e.g. a taken medical
    record number or an unknown time zone, and ``PossibleDuplicate`` when a patient of the
    same name and date of birth is registered, unless ``different_person`` confirms that
    this is someone else.
    """
    patient = Patient()
    _set_fields(patient, fields)
    _check_care_team(care_team, patient)
    patient.full_clean()
    _refuse_a_second_record(patient, different_person=different_person)
    _save_patient(patient)
    patient.care_team.set(care_team)
    _sync_regions(patient, regions)
    return patient


RECORD_SAVED_MEANWHILE = (
    "Meanwhile this record was saved from another page (a colleague, or another tab of "
    "yours). Nothing was saved: your values are kept as you typed them. Open the record in "
    "a new tab to see it as it is now, check your values against it, then save again here "
    "to apply them."
)


def _refuse_if_saved_meanwhile(patient: Patient, seen_record: str | None) -> None:
    """Refuse (``clinic.meanwhile.SavedMeanwhile``) when the (locked) record's
    ``record_fingerprint`` is not the one its page was opened at: its values would undo
    that change. ``None`` (a script, an older page): nothing to compare, no check."""
    from patients.selectors.patients import record_fingerprint  # selectors read this module

    meanwhile.refuse_if_saved_meanwhile(
        seen_record, lambda: record_fingerprint(patient), lambda: RECORD_SAVED_MEANWHILE
    )


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    fields: Mapping[str, Any],
    care_team: Sequence[User],
    regions: Sequence[RegionChoice],
    seen_record: str | None = None,
    different_person: bool = False,
) -> Patient:
    """Change a patient's record, care team and affected regions (see ``_sync_regions``).

    A corrected email address revokes the invitations sent to the earlier one. The
    patient's account, if any, takes the record's name and email address (``_sync_account``):
    the clinic's emails and password resets go to the address staff corrected.

    A save from a page opened before the record was changed (``seen_record``, its
    ``record_fingerprint`` as the page showed it) is refused (SavedMeanwhile): the
    page holds the values from before, and saving them would silently undo that change
    (an email address corrected by a colleague would be put back).

    A name or birth date corrected so that another record names the same person raises
    ``PossibleDuplicate``, as at registration, unless ``different_person`` confirms it.
    """
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    _refuse_if_saved_meanwhile(patient, seen_record)
    address_before, identity_before = patient.email, _identity(patient)
    _set_fields(patient, fields)
    _check_care_team(care_team, patient)
    patient.full_clean()
    if _identity(patient) != identity_before:
        _refuse_a_second_record(patient, different_person=different_person)
    _save_patient(patient)
    if patient.email != address_before:
        revoke_open_invitations(patient)
    _sync_account(patient)
    patient.care_team.set(care_team)
    _sync_regions(patient, regions)
    return patient


def _sync_account(patient: Patient) -> None:
    """Copy the record's name and email address to the patient's account (the account has
    them from the invitation's acceptance; the record is where staff correct them)."""
    if patient.user_id is None:
        return
    User.objects.filter(pk=patient.user_id).update(
        first_name=patient.first_name, last_name=patient.last_name, email=patient.email
    )


REMINDER_FIELDS = ("reminder_enabled", "reminder_time")


@transaction.atomic
def patient_reminders_update(*, patient: Patient, enabled: bool, at: time) -> Patient:
    """Switch the daily diary reminder on or off and set its time (the patient's local time).

    Only these two fields are validated and written: the rest of the record is the clinic's
    to correct, and a value there that no longer passes validation (a legacy record number
    differing from another only in case, a zone name this server's tzdata dropped) must not
    stop the patient from switching their reminders off. ``Patient.clean`` is therefore not
    run (it checks the record number).
    """
    patient.reminder_enabled = enabled
    patient.reminder_time = at
    others = [f.name for f in Patient._meta.concrete_fields if f.name not in REMINDER_FIELDS]
    patient.clean_fields(exclude=others)
    patient.save(update_fields=[*REMINDER_FIELDS, "updated"])
    return patient
