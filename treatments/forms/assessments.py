"""The form of a rating: the scale, its total and (optionally) its subscores.

Every scale's subscore fields are in the form, each scale in its own fieldset
(static/js/assessment-scale.js shows only the chosen scale's; without scripts all are
shown with their legends). Subscores given for another scale than the chosen one are an
error, never silently dropped. Labels are part names and numbers, never item text.
"""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms

from clinic.meanwhile import CarriesMark, seen_revision_field
from treatments import scales
from treatments.models import Assessment, validate_not_in_future
from treatments.selectors.assessments import visit_label
from treatments.services.assessments import NO_REASON, AssessmentInput

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def part_field_name(scale: str, key: str) -> str:
    return f"{scale}__{key}"


def _number_field(label: str, part: scales.Part) -> forms.DecimalField:
    """A subscore's field; its step (halves, quarters for TWSTRS pain) is the scale's rule
    (``scales.assessment_errors``), which gives the message."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(part.low),
        max_value=Decimal(part.high),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": str(part.step), "inputmode": "decimal"}),
    )


class AssessmentForm(forms.Form):
    date = forms.DateField(
        label="Date of the rating", widget=DateInput, validators=[validate_not_in_future]
    )
    scale = forms.ChoiceField(label="Scale", choices=Assessment.Scale.choices)
    visit = forms.ModelChoiceField(
        label="At injection visit (optional)", queryset=None, required=False
    )
    total = forms.DecimalField(
        label="Total",
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        help_text="Leave empty to record the sum of the subscores.",
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )

    def __init__(self, *args, visits, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["visit"].label_from_instance = visit_label
        self.fields["visit"].empty_label = "Not at a visit"
        self.fields["scale"].choices = [
            (code, f"{spec.label} ({spec.range_text})") for code, spec in scales.SCALES.items()
        ]
        groups = []
        for code, spec in scales.SCALES.items():
            names = []
            for part in spec.parts:
                name = part_field_name(code, part.key)
                self.fields[name] = _number_field(f"{part.label} ({part.low}–{part.high})", part)
                names.append(name)
            if names:
                groups.append(
                    Fieldset(
                        f"{spec.label} subscores (optional)",
                        Div(*names, css_class="scale-parts"),
                        css_class="scale-fieldset",
                        data_scale=code,
                    )
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("date", "scale", "visit", "total", *groups)

    def clean(self) -> dict:
        cleaned = super().clean()
        scale = cleaned.get("scale")
        if not scale:
            return cleaned
        subscores = {}
        for code, spec in scales.SCALES.items():
            for part in spec.parts:
                name = part_field_name(code, part.key)
                value = cleaned.get(name)
                if value is None:
                    continue
                if code != scale:
                    self.add_error(
                        name, f"This is a {spec.label} subscore: clear it or choose that scale."
                    )
                else:
                    subscores[part.key] = value
        own_fields = ["total", *(part_field_name(scale, p.key) for p in scales.SCALES[scale].parts)]
        if any(name in self.errors for name in own_fields):
            return cleaned  # a value did not parse or is out of range: that message is enough
        errors = scales.assessment_errors(scale, cleaned.get("total"), subscores)
        for key, messages in errors.items():
            target = key if key in ("scale", "total") else part_field_name(scale, key)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
        cleaned["subscores"] = subscores
        return cleaned

    def assessment_input(self) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            date=data["date"],
            scale=data["scale"],
            total=data.get("total"),
            subscores=data["subscores"],
            visit=data.get("visit"),
        )


class AssessmentCorrectionForm(CarriesMark, AssessmentForm):
    """A correction: the same fields and the reason, kept in the rating's history; the
    rating's revision as the page showed it, so a correction saved meanwhile is not undone."""

    seen_revision = seen_revision_field()

    change_reason = forms.CharField(
        label="Reason for the correction",
        max_length=Assessment.history.model._meta.get_field("history_change_reason").max_length,
        help_text="Kept in the rating's history with your name and the time.",
        error_messages={"required": NO_REASON},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout.append("change_reason")
        self.helper.layout.append("seen_revision")


def initial_of_assessment(assessment: Assessment) -> dict[str, object]:
    initial: dict[str, object] = {
        "date": assessment.date,
        "scale": assessment.scale,
        "visit": assessment.visit_id,
        "total": assessment.total,
    }
    for key, value in (assessment.subscores or {}).items():
        initial[part_field_name(assessment.scale, key)] = value
    return initial
