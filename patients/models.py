"""Patient records and what patients write: profile, affected regions, daily diary."""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

SCORE_MIN = 0
SCORE_MAX = 10
SCORE_VALIDATORS = [MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]


def score_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": SCORE_MIN, f"{field}__lte": SCORE_MAX})


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names this server knows (``Europe/Oslo``, ``UTC``)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            "“%(value)s” is not a time zone name such as Europe/London.",
            code="invalid_time_zone",
            params={"value": value},
        ) from None


class BodyRegion(models.Model):
    """A body region dystonia can affect (catalog, loaded by data migration)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    lateral = models.BooleanField(default=False, help_text="Left/right applies")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Patient(models.Model):
    """A person with dystonia under the clinic's care."""

    class Distribution(models.TextChoices):
        FOCAL = "focal", "Focal"
        SEGMENTAL = "segmental", "Segmental"
        MULTIFOCAL = "multifocal", "Multifocal"
        GENERALIZED = "generalized", "Generalized"
        HEMIDYSTONIA = "hemidystonia", "Hemidystonia"

    class Etiology(models.TextChoices):
        IDIOPATHIC = "idiopathic", "Idiopathic"
        GENETIC = "genetic", "Genetic"
        ACQUIRED = "acquired", "Acquired"

    class LeftCare(models.TextChoices):
        """Why a patient is no longer under the clinic's care (their record is kept)."""

        DISCHARGED = "discharged", "Discharged"
        MOVED_AWAY = "moved_away", "Moved away"
        TRANSFERRED = "transferred", "Transferred to another clinic"
        DIED = "died", "Died"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
    )
    medical_record_number = models.CharField(max_length=40, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    distribution = models.CharField(max_length=16, choices=Distribution.choices)
    etiology = models.CharField(max_length=16, choices=Etiology.choices)
    etiology_detail = models.CharField(max_length=200, blank=True)
    diagnosis_date = models.DateField(null=True, blank=True)
    care_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="care_patients",
        limit_choices_to={"role": "neurologist"},
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    reminder_enabled = models.BooleanField(default=True)
    reminder_time = models.TimeField(default="19:00")
    registered_on = models.DateField()
    # Set when the patient leaves the clinic's care: the queue, digest and reminders leave
    # them out from then on; both blank while they are under its care (set together by
    # treatments.services.care; no CheckConstraint: adding one makes SQLite rebuild the
    # table, which would add patient_mrn_any_case behind migration 0004's back).
    left_care_on = models.DateField(null=True, blank=True)
    left_care_reason = models.CharField(
        max_length=16, choices=LeftCare.choices, blank=True, default=""
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # A record number names one person whatever the case it is typed in.
            models.UniqueConstraint(Upper("medical_record_number"), name="patient_mrn_any_case")
        ]

    def clean(self) -> None:
        """The record number is free whatever its case (next to the field; the constraint
        ``patient_mrn_any_case`` holds against two requests at once)."""
        if mrn_taken(self.medical_record_number, but=self.pk):
            field = "medical_record_number"
            raise ValidationError({field: self.unique_error_message(Patient, (field,))})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def left_care_label(self) -> str:
        """'Died on 9 Mar 2026', 'Moved away on …'; blank while under the clinic's care."""
        if self.left_care_on is None:
            return ""
        words = self.get_left_care_reason_display()
        return f"{words} on {self.left_care_on.day} {self.left_care_on:%b %Y}"

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    def __str__(self) -> str:
        return self.full_name


def mrn_taken(medical_record_number: str, *, but: int | None = None) -> bool:
    """Whether another patient (not ``but``) has this record number, in any case."""
    others = Patient.objects.exclude(pk=but) if but else Patient.objects.all()
    return others.filter(medical_record_number__iexact=medical_record_number).exists()


class AffectedRegion(models.Model):
    """A body region affected in one patient, with its side where one applies."""

    class Side(models.TextChoices):
        NONE = "", "Not applicable"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both sides"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="regions")
    region = models.ForeignKey(BodyRegion, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices, blank=True, default="")

    class Meta:
        ordering = ["region__order", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "region", "side"], name="affected_region_unique"
            )
        ]

    @property
    def label(self) -> str:
        return (
            f"{self.region.name} ({self.get_side_display().lower()})"
            if self.side
            else (self.region.name)
        )

    def __str__(self) -> str:
        return self.label


class DiaryEntry(models.Model):
    """One day of a patient's symptom diary; re-posting a day updates it."""

    class Trigger(models.TextChoices):
        STRESS = "stress", "Stress"
        FATIGUE = "fatigue", "Fatigue"
        ANXIETY = "anxiety", "Anxiety"
        POOR_SLEEP = "poor_sleep", "Poor sleep"
        BRIGHT_LIGHT = "bright_light", "Bright light"
        PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary")
    date = models.DateField()
    severity = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    pain = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    interference = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    triggers = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="diary_one_entry_per_day"),
            models.CheckConstraint(
                condition=score_in_range("severity"), name="diary_severity_0_10"
            ),
            models.CheckConstraint(condition=score_in_range("pain"), name="diary_pain_0_10"),
            models.CheckConstraint(
                condition=score_in_range("interference"), name="diary_interference_0_10"
            ),
        ]

    @property
    def trigger_labels(self) -> list[str]:
        """The triggers in words, in the catalog's order (unknown codes are left out)."""
        chosen = set(self.triggers or [])
        return [label for code, label in TRIGGER_CHOICES if code in chosen]

    def __str__(self) -> str:
        return f"Diary {self.date}"


# Trigger.choices rebuilds its list on every access; History reads it once per row.
TRIGGER_CHOICES: tuple[tuple[str, str], ...] = tuple(DiaryEntry.Trigger.choices)


class RegionSeverity(models.Model):
    """Severity 0-10 of one affected region on one diary day."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="regions")
    affected_region = models.ForeignKey(
        AffectedRegion, on_delete=models.CASCADE, related_name="severities"
    )
    severity = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "affected_region"], name="region_severity_unique"
            ),
            models.CheckConstraint(
                condition=score_in_range("severity"), name="region_severity_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.affected_region} {self.severity}"


class Invitation(models.Model):
    """A single-use link by which a patient sets a password; only its hash is stored.

    The raw token is derived from ``uuid`` with the server's secret key (see
    ``patients.services.invitations``), so neither the database nor a task argument ever
    holds it. Sending a new invitation revokes the patient's earlier unused ones.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def is_open(self, now) -> bool:
        """True while the link can still be used: not used, not revoked, not expired."""
        return self.used_at is None and self.revoked_at is None and now < self.expires_at

    def __str__(self) -> str:
        return f"Invitation {self.uuid}"
