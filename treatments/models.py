"""What the clinic does and sees: toxin products, injections, other treatments,
assessments, follow-ups and the per-cycle effect summaries."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from patients.models import BodyRegion, Patient
from treatments import scales


def validate_not_in_future(value) -> None:
    """A date that has not happened yet cannot be recorded (today, clinic time zone, is fine)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError("The date cannot be in the future.", code="future")


def not_before_birth_errors(record: models.Model, *names: str) -> dict[str, list[str]]:
    """Messages by field for clinical dates of ``record`` before its patient's birth.

    Nothing clinical happens before a patient is born: such a date is a typing error (and
    one in year 1 broke the charts' date arithmetic). ``record`` has a ``patient``; a
    record without one yet (a form before the service sets it) is checked later.
    """
    if not record.patient_id:
        return {}
    born = record.patient.date_of_birth
    message = f"The date cannot be before the patient's date of birth ({born:%d %b %Y})."
    return {
        name: [message]
        for name in names
        if (value := getattr(record, name)) is not None and value < born
    }


def validate_positive_units(value: Decimal) -> None:
    """Units given into one site: more than 0 (a site with no toxin is not a site)."""
    if value is not None and value <= 0:
        raise ValidationError("Units must be more than 0.", code="units_not_positive")


class Indication(models.TextChoices):
    CERVICAL = "cervical", "Cervical dystonia"
    BLEPHAROSPASM = "blepharospasm", "Blepharospasm"
    SPASMODIC_DYSPHONIA = "spasmodic_dysphonia", "Spasmodic dysphonia"
    OROMANDIBULAR = "oromandibular", "Oromandibular dystonia"
    LIMB = "limb", "Writer's cramp / limb dystonia"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline / not applicable"


class ToxinProduct(models.Model):
    """A botulinum toxin product; its units are its own and never comparable to another's."""

    code = models.SlugField(max_length=40, unique=True)
    generic_name = models.CharField(max_length=80)
    brand_name = models.CharField(max_length=80)
    serotype = models.CharField(max_length=1, choices=[("A", "Type A"), ("B", "Type B")])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["brand_name"]

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.generic_name})"


class ProductTimeline(models.Model):
    """The expected effect of one product for one indication (defaults from TIMELINE.md)."""

    product = models.ForeignKey(ToxinProduct, on_delete=models.CASCADE, related_name="timelines")
    indication = models.CharField(max_length=24, choices=Indication.choices)
    onset_days_low = models.PositiveSmallIntegerField()
    onset_days_typical = models.PositiveSmallIntegerField()
    onset_days_high = models.PositiveSmallIntegerField()
    peak_weeks_low = models.PositiveSmallIntegerField()
    peak_weeks_high = models.PositiveSmallIntegerField()
    duration_weeks_low = models.PositiveSmallIntegerField()
    duration_weeks_typical = models.PositiveSmallIntegerField()
    duration_weeks_high = models.PositiveSmallIntegerField()
    min_interval_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty where none is published: the clinician sets it"
    )
    usual_dose = models.CharField(max_length=120, blank=True)
    max_units_per_session = models.PositiveIntegerField(null=True, blank=True)
    max_units_per_site = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty where the catalog states no maximum per site"
    )
    source = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["product__brand_name", "indication"]
        constraints = [
            models.UniqueConstraint(fields=["product", "indication"], name="timeline_unique"),
            models.CheckConstraint(
                condition=models.Q(onset_days_low__lte=models.F("onset_days_typical"))
                & models.Q(onset_days_typical__lte=models.F("onset_days_high")),
                name="timeline_onset_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_weeks_low__lte=models.F("duration_weeks_typical"))
                & models.Q(duration_weeks_typical__lte=models.F("duration_weeks_high")),
                name="timeline_duration_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(peak_weeks_low__lte=models.F("peak_weeks_high")),
                name="timeline_peak_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.brand_name} – {self.get_indication_display()}"


class Muscle(models.Model):
    """A muscle that may be injected, grouped by body region."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    region = models.ForeignKey(BodyRegion, on_delete=models.PROTECT, related_name="muscles")
    paired = models.BooleanField(
        default=True, help_text="Injected on the left or right side (else: midline)"
    )

    class Meta:
        ordering = ["region__order", "name"]

    def __str__(self) -> str:
        return self.name


class InjectionVisit(models.Model):
    """One botulinum toxin treatment session: one product, several injection sites."""

    class Guidance(models.TextChoices):
        ANATOMICAL = "anatomical", "Anatomical landmarks"
        EMG = "emg", "EMG"
        ULTRASOUND = "ultrasound", "Ultrasound"
        STIMULATION = "stimulation", "Electrical stimulation"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="injections")
    date = models.DateField(validators=[validate_not_in_future])
    indication = models.CharField(max_length=24, choices=Indication.choices)
    product = models.ForeignKey(ToxinProduct, on_delete=models.PROTECT, related_name="+")
    lot_number = models.CharField(max_length=40)
    lot_expiry = models.DateField(null=True, blank=True)
    dilution_units_per_ml = models.DecimalField(
        "Dilution (units per mL)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    guidance = models.CharField(max_length=16, choices=Guidance.choices)
    injector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    early_reason = models.TextField(
        blank=True, help_text="Why this visit came before the product's minimum interval"
    )
    # The other visit of the early pair the reason was written about: the reason explains
    # that pair only (``treatments.intervals``). None: a reason stored before the pair was
    # kept, which counts for any pair, as it did.
    early_reason_pair = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A visit recorded late between two visits may be early on both sides: the same reason
    # is written about the pair with the next visit too (``early_reason_pair`` holds the
    # previous one then). None: the reason is about one pair only.
    early_reason_next_pair = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    over_maximum_confirmed = models.BooleanField(default=False)
    over_site_maximum_confirmed = models.BooleanField(default=False)
    entered_in_error = models.BooleanField(default=False)
    entered_in_error_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created"]
        indexes = [models.Index(fields=["patient", "date"])]
        constraints = [
            # A second identical visit is a double submission, not a treatment.
            models.UniqueConstraint(
                fields=["patient", "date", "product", "indication"],
                condition=models.Q(entered_in_error=False),
                name="visit_once_per_day_product_indication",
                violation_error_message="This visit (same day, product and indication) is "
                "already recorded: correct that one instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"Injection {self.date}"

    def clean(self) -> None:
        # A visit entered in error is kept as it was, whatever its date: it can always be
        # marked so (that is how a wrongly dated visit already stored is taken out).
        errors = {} if self.entered_in_error else not_before_birth_errors(self, "date")
        if self.lot_expiry and self.date and self.lot_expiry < self.date:
            errors["lot_expiry"] = ["This lot had expired before the visit date."]
        if errors:
            raise ValidationError(errors)


class InjectionSite(models.Model):
    """Units of the visit's product given into one muscle on one side."""

    visit = models.ForeignKey(InjectionVisit, on_delete=models.CASCADE, related_name="sites")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    units = models.DecimalField(
        max_digits=7, decimal_places=2, validators=[validate_positive_units]
    )
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["muscle__region__order", "muscle__name", "side"]
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gt=0), name="site_units_positive"),
            models.CheckConstraint(condition=models.Q(points__gte=1), name="site_points_positive"),
            models.UniqueConstraint(
                fields=["visit", "muscle", "side"], name="site_one_row_per_muscle_and_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muscle} {self.side}"

    def clean(self) -> None:
        muscle = self.muscle if self.muscle_id else None
        if muscle is None or not self.side:
            return
        if muscle.paired and self.side == Side.MIDLINE:
            raise ValidationError({"side": f"{muscle.name} is paired: choose left or right."})
        if not muscle.paired and self.side != Side.MIDLINE:
            raise ValidationError({"side": f"{muscle.name} is a midline muscle: choose midline."})


class TreatmentCourse(models.Model):
    """A non-toxin treatment over a period: medication, therapy or deep brain stimulation."""

    class Kind(models.TextChoices):
        ORAL = "oral", "Oral medication"
        PHYSIO = "physio", "Physical therapy"
        SPEECH = "speech", "Speech therapy"
        DBS = "dbs", "Deep brain stimulation"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=120)
    dose_text = models.CharField(max_length=200, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Empty while it goes on")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # As a visit's: kept and shown struck through to the care team, hidden from the patient.
    entered_in_error = models.BooleanField(default=False)
    entered_in_error_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="course_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The end is never before the start, so checking the start covers both.
        errors = not_before_birth_errors(self, "start")
        if self.end and self.start and self.end < self.start:
            errors["end"] = ["The end cannot be before the start."]
        if errors:
            raise ValidationError(errors)


class Assessment(models.Model):
    """A clinician-rated scale total (and subscores) at a visit; numbers only."""

    class Scale(models.TextChoices):
        TWSTRS = "twstrs", "TWSTRS"
        TSUI = "tsui", "Tsui"
        BFMDRS = "bfmdrs", "BFMDRS movement"
        JANKOVIC = "jankovic", "Jankovic rating scale"
        BSDI = "bsdi", "Blepharospasm Disability Index"
        GDRS = "gdrs", "Global Dystonia Rating Scale"
        WCRS = "wcrs", "Writer's Cramp Rating Scale"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="assessments")
    visit = models.ForeignKey(
        InjectionVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(validators=[validate_not_in_future])
    scale = models.CharField(max_length=12, choices=Scale.choices)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    subscores = models.JSONField(default=dict, blank=True, help_text="Numbers only, by part")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "scale"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="assessment_total_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.date}"

    @property
    def spec(self) -> scales.ScaleSpec:
        return scales.SCALES[self.scale]

    @property
    def parts(self) -> list[dict[str, object]]:
        """The given subscores in the scale's order, as {"label", "value"}."""
        given = self.subscores or {}
        return [
            {"label": part.label, "value": given[part.key]}
            for part in self.spec.parts
            if part.key in given
        ]

    def clean(self) -> None:
        subscores = self.subscores if isinstance(self.subscores, dict) else None
        if subscores is None or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in subscores.values()
        ):
            raise ValidationError({"subscores": "Subscores are numbers by part, nothing else."})
        errors = not_before_birth_errors(self, "date")
        for key, messages in scales.assessment_errors(self.scale, self.total, subscores).items():
            errors.setdefault(key if key in ("scale", "total") else "subscores", []).extend(
                messages
            )
        if errors:
            raise ValidationError(errors)
        if self.visit_id and self.visit.patient_id != self.patient_id:
            raise ValidationError({"visit": "That visit belongs to another patient."})


class ClosedDay(models.Model):
    """A day the clinic is closed although it is one of its opening days (``CLINIC_DAYS``):
    a public holiday, a training day. Booking on it asks staff first."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=100, help_text="E.g. “Christmas Day”, “Staff training”")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.reason}"


class FollowUp(models.Model):
    """A review call or reinjection visit due after an injection, and its scheduling."""

    class Kind(models.TextChoices):
        REVIEW = "review", "Review"
        REINJECTION = "reinjection", "Reinjection"

    class Status(models.TextChoices):
        DUE = "due", "Due"
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="follow_ups")
    source_visit = models.ForeignKey(
        InjectionVisit, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_from = models.DateField()
    due_until = models.DateField()
    scheduled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    status_reason = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    early_reason = models.TextField(blank=True)
    early_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The session's "not before" date the reason was given against: when that date later
    # moves later (a product with a longer minimum interval joins the session), the reason
    # no longer counts (``selectors.followups.early_approval_counts``). Null: stored before
    # this was recorded, it counts.
    early_approved_for = models.DateField(null=True, blank=True, editable=False)
    # What it was (status and reason) when a later visit closed it as superseded: a sync
    # that opens it again (that visit entered in error, or moved) restores it as it was, a
    # booking booked, a missed reinjection missed (treatments/services/followup_sync.py).
    # Blank: not closed so, or closed before this was recorded.
    status_before_superseded = models.CharField(
        max_length=10, choices=Status.choices, blank=True, editable=False
    )
    reason_before_superseded = models.CharField(max_length=300, blank=True, editable=False)
    # When the patient was reminded: the reminder's sending, or the booking itself when it
    # was made less than the reminder's lead time ahead (its notice is the only message).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # How many times it was booked or moved: part of its notices' keys, so a booking moved
    # back to a time it had before is a new booking and the patient is told again.
    bookings = models.PositiveIntegerField(default=0, editable=False)
    # When it was last closed (done, missed, cancelled); None while open. Whether a booking
    # was called off ahead of its time is read from this, not from ``updated``, which any
    # later save moves.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How many times its booking stood again without being booked anew (reopened once the
    # visit that closed it was entered in error, or marked done after it was called off):
    # each raises its calendar event's SEQUENCE, which must never go down (RFC 5545).
    stood_again = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_from"]
        indexes = [
            models.Index(fields=["status", "due_from"]),
            # The queue reads open follow-ups only (about one in ten at a clinic's size):
            # its section counts are an index-only scan, its pages of follow-ups not yet
            # booked walk due_until in order (the overdue first).
            models.Index(
                fields=["status", "due_until", "due_from"],
                include=["patient", "id"],
                condition=models.Q(status__in=["due", "scheduled"]),
                name="followup_open_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_until__gte=models.F("due_from")), name="followup_window"
            ),
            models.UniqueConstraint(
                fields=["source_visit", "kind"], name="followup_one_per_visit_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_from}"


class CycleSummary(models.Model):
    """The analysed effect of one injection cycle, recomputed from the diary."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="cycles")
    visit = models.ForeignKey(
        InjectionVisit, null=True, on_delete=models.CASCADE, related_name="cycle_summaries"
    )
    injection_date = models.DateField()
    end_date = models.DateField()
    baseline = models.FloatField(null=True)
    onset_day = models.IntegerField(null=True)
    peak_day = models.IntegerField(null=True)
    wear_off_day = models.IntegerField(null=True)
    duration_days = models.IntegerField(null=True)
    peak_improvement = models.FloatField(null=True)
    coverage = models.FloatField()
    verdict = models.CharField(max_length=24)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["patient", "injection_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "injection_date"], name="cycle_one_per_injection_date"
            )
        ]

    def __str__(self) -> str:
        return f"Cycle {self.injection_date}"


class CycleProfile(models.Model):
    """A patient's own effect profile and current cycle, as the dashboards read it.

    The profile is of the current cycle's product and indication (``product``,
    ``indication``): its medians come from that product's completed cycles only.
    """

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="cycle_profile")
    product = models.ForeignKey(
        ToxinProduct,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Product of the current cycle: the medians are of its cycles only",
    )
    indication = models.CharField(max_length=24, choices=Indication.choices, blank=True)
    completed_cycles = models.PositiveSmallIntegerField(default=0)
    median_onset_day = models.IntegerField(null=True)
    median_peak_day = models.IntegerField(null=True)
    median_wear_off_day = models.IntegerField(null=True)
    last_injection_date = models.DateField(null=True)
    current_verdict = models.CharField(max_length=24, blank=True)
    predicted_wear_off = models.DateField(null=True)
    window_start = models.DateField(null=True)
    window_end = models.DateField(null=True)
    wears_off_before_min_interval = models.BooleanField(default=False)
    logged_days_last_14 = models.PositiveSmallIntegerField(default=0)
    # The affected regions the current cycle was judged on ("Neck; Larynx / voice"), when
    # its injection reached some of them only; "" when judged on the overall severity.
    judged_on = models.CharField(max_length=500, blank=True, default="")
    computed_at = models.DateTimeField(null=True)
    stale_since = models.DateTimeField(
        null=True, db_index=True, help_text="Set when the diary or injections change"
    )

    def __str__(self) -> str:
        return f"Profile of patient {self.patient_id}"

    def is_of(self, *, product_id: int, indication: str) -> bool:
        """Whether the medians are of this product and indication (products differ in
        their timelines: another product's median predicts nothing for this one)."""
        return self.product_id == product_id and self.indication == indication
