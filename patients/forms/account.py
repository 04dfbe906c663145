"""The patient's own account: choosing a password from an invitation, reminder preferences."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from clinic.forms import NewPasswordChecks
from patients.models import Patient


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


class ReminderForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["reminder_enabled", "reminder_time"]
        labels = {
            "reminder_enabled": "Remind me when I have not logged the day",
            "reminder_time": "Reminder time",
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        error_messages = {
            "reminder_time": {
                "required": "Choose a reminder time, for example 19:00.",
                "invalid": "Enter the reminder time as hours and minutes, for example 19:00.",
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone = self.instance.time_zone
        self.fields["reminder_time"].help_text = f"Your local time ({zone})."
        self.fields["reminder_time"].input_formats = ["%H:%M", "%H:%M:%S"]
        # Needed only with reminders on: switching them off keeps the time last chosen.
        self.fields["reminder_time"].required = False
        self.helper = _helper(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reminder_time") is None and "reminder_time" not in self.errors:
            if data.get("reminder_enabled"):
                message = self.fields["reminder_time"].error_messages["required"]
                self.add_error("reminder_time", forms.ValidationError(message, code="required"))
            else:
                data["reminder_time"] = self.instance.reminder_time
        return data
