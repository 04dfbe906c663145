"""The form of another treatment (medication, therapy, deep brain stimulation)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from clinic.meanwhile import CarriesMark, seen_revision_field
from clinic.widgets import Textarea
from treatments.models import TreatmentCourse
from treatments.services.courses import NO_ERROR_REASON, NO_REASON, CourseInput

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseForm(forms.ModelForm):
    class Meta:
        model = TreatmentCourse
        fields = ("kind", "name", "dose_text", "start", "end", "notes")
        labels = {
            "kind": "Kind of treatment",
            "name": "Name",
            "dose_text": "Dose as prescribed",
            "start": "Start date",
            "end": "End date",
        }
        help_texts = {
            "name": "For example trihexyphenidyl, physiotherapy, or the DBS target.",
            "dose_text": (
                "Free text, as prescribed (the clinic records it; it never suggests one). "
                "A new dose or new stimulation settings: give this treatment an end date and "
                "record the new one from the day it changed, so the chart shows both; Edit "
                "corrects what was recorded wrongly."
            ),
        }
        widgets = {"start": DateInput, "end": DateInput, "notes": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def course_input(self) -> CourseInput:
        data = self.cleaned_data
        return CourseInput(
            kind=data["kind"],
            name=data["name"].strip(),
            start=data["start"],
            end=data.get("end"),
            dose_text=data.get("dose_text", ""),
            notes=data.get("notes", ""),
        )


class CourseCorrectionForm(CarriesMark, CourseForm):
    """A correction: the same fields and the reason, kept in the course's history; the
    course's revision as the page showed it, so a correction saved meanwhile is not undone."""

    seen_revision = seen_revision_field()

    change_reason = forms.CharField(
        label="Reason for the correction",
        max_length=TreatmentCourse.history.model._meta.get_field(
            "history_change_reason"
        ).max_length,
        help_text="Kept in the treatment's history with your name and the time.",
        error_messages={"required": NO_REASON},
    )


class CourseErrorForm(forms.Form):
    """Why a course is marked as entered in error: kept with it and shown with it."""

    reason = forms.CharField(
        label="Reason",
        max_length=TreatmentCourse._meta.get_field("entered_in_error_reason").max_length,
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": NO_ERROR_REASON},
    )
