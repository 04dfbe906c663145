"""The diary form: eleven big 0-10 buttons per question, toggle buttons for triggers.

Scores are real radio inputs (``btn-check``) with labels styled as buttons, grouped in a
fieldset with a legend per question, so keyboards (Tab, arrows, Space) and screen readers
use them like any radio group. Every error also appears in the summary at the top.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms

from clinic.error_summary import ErrorLink, form_errors
from clinic.meanwhile import CarriesMark, seen_revision_field
from clinic.widgets import Textarea
from patients.days import day_problem, long_date
from patients.forms.questions import SCORE, TOGGLES, Question
from patients.models import SCORE_MAX, SCORE_MIN, AffectedRegion, DiaryEntry, Patient
from patients.services.diary import DiaryValues

REGION_FIELD = re.compile(r"^region_(.+)$")
DAY_ANCHOR = "diary-day"
# A region the day's saved entry has no score for (``unrated_regions``): it was added to
# the record after the day was logged, so its question may stay unanswered.
UNRATED_HINT = (
    " Not rated on this day: the region was added to the record later. Leave it empty "
    "to keep it unrated."
)
REGIONS_ANCHOR = "regions"


SCORE_CHOICES = tuple((n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1))


class ScoreField(forms.TypedChoiceField):
    """A whole number from 0 (none) to 10 (worst), answered with eleven radio buttons."""

    def __init__(self, *, label: str, hint: str, subject: str, **kwargs) -> None:
        super().__init__(
            choices=SCORE_CHOICES,
            coerce=int,
            empty_value=None,  # an optional (unrated) region left empty is no score
            widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            label=label,
            error_messages={
                "required": f"Choose a number from 0 to 10 for {subject}.",
                "invalid_choice": f"Choose a whole number from 0 to 10 for {subject}.",
            },
            **kwargs,
        )
        self.hint = hint

    def __deepcopy__(self, memo: dict) -> ScoreField:
        """Each form's copy of the field (``BaseForm.__init__``) shares the eleven choices:
        they are never changed, and copying them deeply was most of building a diary form
        (issue 8). The widget, its attributes and the error messages are copied as usual."""
        return forms.Field.__deepcopy__(self, memo)


def region_field_name(region: AffectedRegion) -> str:
    return f"region_{region.pk}"


class DiaryEntryForm(forms.Form):
    """One diary day as the patient answers it.

    ``today`` is the patient's own date (their time zone); ``first_editable`` is the oldest
    day this user may change (None: no limit, for the care team).
    """

    # Whose words a refused day is told in (``day_problem``): the patient's, or the care
    # team's, for whom the patient's future may be their own today.
    for_care_team = False

    date = forms.DateField(
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%d"],
        error_messages={
            # Only a page that lost or garbled its hidden day meets these (offer_today).
            "required": "This page did not say which day these answers are for.",
            "invalid": "This page sent a day that is not a date written as YYYY-MM-DD.",
        },
    )
    severity = ScoreField(
        label="Overall, how strong were your dystonia symptoms?",
        hint="0 = no symptoms, 10 = the worst you can imagine.",
        subject="overall severity",
    )
    pain = ScoreField(
        label="How much pain did you have?",
        hint="0 = no pain, 10 = the worst pain you can imagine.",
        subject="pain",
    )
    interference = ScoreField(
        label="How much did dystonia get in the way of your daily activities?",
        hint="0 = not at all, 10 = I could not do anything.",
        subject="interference with daily activities",
    )
    triggers = forms.MultipleChoiceField(
        required=False,
        choices=DiaryEntry.Trigger.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        label="Did anything make it worse?",
        help_text="Choose any that apply; choose again to undo.",
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the listed triggers. Choose from the list."
        },
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note (optional)",
        help_text="Anything else about this day, in your own words.",
        widget=Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args,
        patient: Patient,
        regions: Sequence[AffectedRegion],
        today: date,
        first_editable: date | None,
        unrated: Collection[int] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.today = today
        self.first_editable = first_editable
        self.regions = list(regions)
        self.region_errors: list[str] = []
        # A day this user may no longer change (posted from a page opened before the edit
        # window moved on, e.g. just before midnight): the page shows that day, read-only.
        self.closed_day: date | None = None
        # A refused day's answers put on today's page (offer_today): Save now posts today.
        self.offered_for_today = False
        for region in self.regions:
            self.fields[region_field_name(region)] = ScoreField(
                label=region.label,
                hint="0 = no symptoms here, 10 = the worst you can imagine."
                + (UNRATED_HINT if region.pk in unrated else ""),
                subject=region.label.lower(),
                required=region.pk not in unrated,
            )
        self.order_fields(["date", *self.question_field_names])
        self.helper = self._helper()

    @property
    def region_field_names(self) -> list[str]:
        return [region_field_name(region) for region in self.regions]

    @property
    def question_field_names(self) -> list[str]:
        """The questions drawn as a fieldset of buttons (``patients.forms.questions``)."""
        return ["severity", *self.region_field_names, "pain", "interference", "triggers"]

    def _layout_fields(self) -> list:
        fields: list = ["date", Question("severity", look=SCORE)]
        if self.regions:
            fields.append(
                Fieldset(
                    "Each affected body region",
                    *(Question(name, look=SCORE) for name in self.region_field_names),
                    css_id=REGIONS_ANCHOR,
                    template="patients/layout/regions.html",
                )
            )
        fields += [
            Question("pain", look=SCORE),
            Question("interference", look=SCORE),
            Question("triggers", look=TOGGLES),
            Field("note"),
        ]
        return fields

    def _helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.template = "patients/layout/fields_only.html"
        helper.layout = Layout(*self._layout_fields())
        return helper

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        problem = day_problem(self.patient, day, self.today, care_team=self.for_care_team)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        if self.first_editable is not None and day < self.first_editable:
            self.closed_day = day
            raise forms.ValidationError(
                f"{long_date(day)} can no longer be changed here: you can change today and "
                f"the days back to {long_date(self.first_editable)}. "
                f"Ask your care team if {long_date(day)} needs a correction.",
                code="read_only",
            )
        return day

    @property
    def refused_day(self) -> bool:
        """The posted day can hold no entry (in the future, before the diary, not a date).

        A closed day is not one of these: it is a real day the patient meant, shown
        read-only under its own heading, and its answers are never offered for another day.
        """
        return self.is_bound and "date" in self.errors and self.closed_day is None

    def offer_today(self) -> None:
        """Put a refused day's answers, as typed, on today's page: the hidden day becomes
        today, so the page's Save posts the day its heading names, and the day's error says
        that nothing was saved and that Save now saves the answers for today. Nothing is
        saved for today until the patient presses Save on that page."""
        reasons = " ".join(self.errors["date"])
        self.errors["date"] = self.error_class(
            [
                f"Your answers were not saved. {reasons} Check them, then save them for "
                f"today, {long_date(self.today)}."
            ],
            renderer=self.renderer,
        )
        data = self.data.copy()
        data["date"] = self.today.isoformat()
        self.data = data
        self.offered_for_today = True

    def clean(self) -> dict:
        cleaned = super().clean()
        own = set(self.region_field_names)
        for key in self.data:
            if REGION_FIELD.match(key) and key not in own:
                message = (
                    "The form asked about a body region that is not in your record. "
                    "Reload the page to get the current questions."
                )
                if message not in self.region_errors:
                    self.region_errors.append(message)
                    self.add_error(None, message)
        return cleaned

    def values(self) -> DiaryValues:
        data = self.cleaned_data
        return DiaryValues(
            severity=data["severity"],
            pain=data["pain"],
            interference=data["interference"],
            region_scores={
                region.pk: data[region_field_name(region)]
                for region in self.regions
                if data.get(region_field_name(region)) is not None
            },
            triggers=list(data.get("triggers") or []),
            note=data.get("note") or "",
        )

    def error_summary(self) -> list[ErrorLink]:
        """Each question's link goes to its fieldset, not its first button: the legend, hint
        and error are above the buttons and must not be scrolled off the top."""
        anchors = {name: f"{self[name].auto_id}_group" for name in self.question_field_names}
        anchors["date"] = DAY_ANCHOR
        anchor = REGIONS_ANCHOR if self.regions else "diary-form"
        return form_errors(self, anchors=anchors, non_field_anchor=anchor)


class DiaryCorrectionForm(CarriesMark, DiaryEntryForm):
    """The care team's correction of a diary day: the same questions and a required reason."""

    reason = forms.CharField(
        max_length=300,
        label="Reason for the correction",
        help_text="Kept with the entry and its history, and shown to the patient.",
        error_messages={"required": "Give the reason for this correction."},
    )

    # The day's revision as the page showed it (``entry_revision``): a save meanwhile, by
    # the patient on Today or a colleague, is not silently replaced.
    seen_revision = seen_revision_field()

    for_care_team = True

    def _layout_fields(self) -> list:
        return [*super()._layout_fields(), Field("reason"), "seen_revision"]

    def clean_date(self) -> date:
        """The day's refusal (it left the diary while the page was open) says that nothing
        was saved; the answers and reason stay typed on the page that shows it."""
        try:
            return super().clean_date()
        except forms.ValidationError as error:
            reasons = " ".join(error.messages)
            raise forms.ValidationError(
                f"The correction was not saved. {reasons}", code=error.code
            ) from error

    def refuse_unchanged(self) -> None:
        """A save that changed no answer corrected nothing, so its reason is not recorded
        (the service keeps the day's author and earlier reason); say so with the reason
        still typed, so that the answer meant to be corrected can be changed and saved."""
        self.add_error(
            None,
            "Nothing was corrected: every answer is the same as saved. Change the answer "
            "that needs correcting, then save it with the reason.",
        )


def initial_from_entry(
    entry: DiaryEntry | None,
    regions: Sequence[AffectedRegion],
    day: date,
    *,
    fill_from: DiaryEntry | None = None,
) -> dict:
    """The form's initial values for ``day``: ``entry``'s answers (for the patient's current
    regions) and note; ``entry`` is ``day``'s own entry, or None.

    ``fill_from`` ("Same as yesterday") replaces the answers (severity, regions, pain,
    interference, triggers) with that entry's, never the note: a note is about its own day,
    and a filled day is saved with one press, often without the note field in view. The
    day keeps its own note, or none when it has none.
    """
    initial: dict = {"date": day, **_answers(fill_from or entry, regions)}
    if entry is not None:
        initial["note"] = entry.note
    return initial


def _answers(entry: DiaryEntry | None, regions: Sequence[AffectedRegion]) -> dict:
    """``entry``'s answers without its note, for the patient's current regions."""
    if entry is None:
        return {}
    scores = {rs.affected_region_id: rs.severity for rs in entry.regions.all()}
    answers: dict = {
        "severity": entry.severity,
        "pain": entry.pain,
        "interference": entry.interference,
        "triggers": list(entry.triggers or []),
    }
    for region in regions:
        if region.pk in scores:
            answers[region_field_name(region)] = scores[region.pk]
    return answers
