"""The form recording that a patient left the clinic's care (or came back)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Patient

UNDER_CARE = ("", "Under the clinic's care")


class LeaveCareForm(forms.Form):
    """Why and when the patient left; "Under the clinic's care" with no date brings them back."""

    reason = forms.ChoiceField(
        label="Care",
        choices=[UNDER_CARE, *Patient.LeftCare.choices],
        required=False,
    )
    left_on = forms.DateField(
        label="Left on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the patient left (for a patient who died, the date of death).",
    )

    def clean(self) -> dict:
        data = super().clean()
        reason, left_on = data.get("reason"), data.get("left_on")
        if reason and left_on is None and "left_on" not in self.errors:
            self.add_error("left_on", "Give the date the patient left.")
        if not reason and left_on is not None:
            self.add_error("reason", "Choose why the patient left, or clear the date.")
        if left_on is not None and left_on > timezone.localdate():
            self.add_error("left_on", "That date has not come yet.")
        return data

    @property
    def returning(self) -> bool:
        return not self.cleaned_data.get("reason")

    def refuse(self, error: ValidationError) -> None:
        """Show a service's refusal next to its field."""
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
