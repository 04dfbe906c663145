"""The patient's own account: choosing a password from an invitation, reminder preferences."""

from __future__ import annotations

from datetime import time

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from clinic.forms import NewPasswordChecks


def _helper(form: forms.BaseForm) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class InvitationAcceptForm(NewPasswordChecks, SetPasswordForm):
    """Django's SetPasswordForm with the username the patient will sign in with."""

    username = forms.CharField(
        max_length=150,
        label="Username",
        help_text="You sign in with it. Letters, digits and @ . + - _ only.",
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    field_order = ["username", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.order_fields(self.field_order)
        self.helper = _helper(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; choose another.")
        # The password validators compare the password with the username.
        self.user.username = username
        return username


class ReminderForm(forms.Form):
    """The two reminder choices, and nothing else of the record.

    A plain form, not a ModelForm: a ModelForm validates the whole Patient (``Patient.clean``
    checks the record number), so a value elsewhere in the record that the patient can
    neither see nor change (a legacy record number differing from another only in case)
    would break their save. ``time_zone`` is the patient's zone as people read it
    (``zone_place``: 'New York', 'UTC-05:00'), shown beside the time; None when this
    server does not know the stored name (the page then says reminders are paused until
    the clinic corrects it).
    """

    reminder_enabled = forms.BooleanField(
        required=False, label="Remind me when I have not logged the day"
    )
    # Needed only with reminders on: switching them off keeps the time last chosen.
    reminder_time = forms.TimeField(
        required=False,
        label="Reminder time",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Choose a reminder time, for example 19:00.",
            "invalid": "Enter the reminder time as hours and minutes, for example 19:00.",
        },
    )

    def __init__(
        self, data=None, *, enabled: bool, at: time, time_zone: str | None, **kwargs
    ) -> None:
        initial = {"reminder_enabled": enabled, "reminder_time": at}
        super().__init__(data, initial=initial, **kwargs)
        self.current_time = at
        self.fields["reminder_time"].help_text = (
            f"Your local time ({time_zone})." if time_zone else "Your local time."
        )
        self.helper = _helper(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reminder_time") is None and "reminder_time" not in self.errors:
            if data.get("reminder_enabled"):
                message = self.fields["reminder_time"].error_messages["required"]
                self.add_error("reminder_time", forms.ValidationError(message, code="required"))
            else:
                data["reminder_time"] = self.current_time
        return data
