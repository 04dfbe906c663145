"""The break-glass form: an exact record number, a typed reason and a confirmation."""

from __future__ import annotations

from django import forms

from clinic.models import EmergencyAccess
from clinic.widgets import Textarea


class EmergencyAccessForm(forms.Form):
    medical_record_number = forms.CharField(
        label="Medical record number",
        max_length=40,
        help_text="The exact number; no list is shown.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    reason = forms.CharField(
        label="Why you need this patient's record now",
        min_length=EmergencyAccess.REASON_MIN_LENGTH,
        max_length=1000,
        help_text="Recorded and shown to the administrators. No patient details, please.",
        widget=Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I am not on this patient's care team and need their record for their care now.",
    )

    def clean_medical_record_number(self) -> str:
        return self.cleaned_data["medical_record_number"].strip()

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < EmergencyAccess.REASON_MIN_LENGTH:
            raise forms.ValidationError(
                f"Give the reason in at least {EmergencyAccess.REASON_MIN_LENGTH} characters."
            )
        return reason
