"""Account forms: login with "keep me signed in", new passwords, the two-factor code forms."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import User
from clinic.password_reset import (
    TOO_MANY_ASKS,
    AskAnswer,
    claim_reset_ask,
    reset_email_enqueue,
    too_many_asks_from,
)
from clinic.two_factor import verify_code


class LoginForm(AuthenticationForm):
    """Username and password; patients may keep the sign-in on their own device."""

    keep_signed_in = forms.BooleanField(
        required=False,
        label="Keep me signed in on this device",
        help_text="For patients on their own phone or computer, for up to 30 days. "
        "Clinic staff are always signed out after 15 minutes without activity.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each empty field is named next to itself; the words never depend on the account.
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."


class NewPasswordChecks:
    """For Django's SetPasswordForm and its subclasses: a broken password rule is reported
    under "New password", where the rules are listed (Django puts it under the
    confirmation); a mismatch stays under the confirmation."""

    def clean(self) -> dict:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class PasswordChangeForm(NewPasswordChecks, auth_forms.PasswordChangeForm):
    """The signed-in user's own password change."""

    def full_clean(self) -> None:
        super().full_clean()
        if self._errors:
            # The page focuses its error summary; an autofocused (valid) old password field
            # would take the focus back from it.
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The address to send a reset link to; the email goes from a task (``save``), within
    the limits of clinic/password_reset.py (``client``: the connection's address). A valid
    ask is counted and recorded as it is checked (``claim_reset_ask``), in one step."""

    def __init__(self, *args, client: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.answer: AskAnswer | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            self.answer = claim_reset_ask(email, self.client)
            waits = self.answer is AskAnswer.WAIT
        else:  # nothing to record: the address is wrong (said next to it) or missing
            waits = too_many_asks_from(self.client)
        if waits:
            self.add_error("email", TOO_MANY_ASKS)
        return cleaned

    def get_users(self, email: str):
        """Every active account of that address, also one added without a password (the
        clinic has no other sign-in: an admin adds a clinician with password-based sign-in
        off, and the clinician chooses a password through the link)."""
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")

    def save(self, **kwargs) -> None:
        """Enqueue one email per active account of that address; none, and the same
        answer, for an unknown address or one that had its emails this hour."""
        if self.answer is not AskAnswer.EMAIL:
            return
        for user in self.get_users(self.cleaned_data["email"]):
            reset_email_enqueue(user.pk)


class SetPasswordForm(NewPasswordChecks, auth_forms.SetPasswordForm):
    """The new password chosen through a reset link."""


def _code_field(label: str, help_text: str, *, digits_only: bool = False) -> forms.CharField:
    """A code's field; ``digits_only`` (the app's 6 digits, no recovery code) opens a
    phone's large number pad instead of its letter keys."""
    attrs = {
        "autocomplete": "one-time-code",
        "autocapitalize": "none",
        "spellcheck": "false",
        "class": "form-control-lg",
    }
    if digits_only:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label, help_text=help_text, max_length=32, widget=forms.TextInput(attrs=attrs)
    )


class _CodeForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TwoFactorSetupForm(_CodeForm):
    """The first code from a new authenticator proves it was set up correctly."""

    code = _code_field(
        "Code from your authenticator app",
        "The 6 digits the app shows for the clinic.",
        digits_only=True,
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code did not match. Check the time on your phone and type the newest code."
            )
        return code


class TwoFactorVerifyForm(_CodeForm):
    """A code from the authenticator, or one of the recovery codes (each works once)."""

    code = _code_field(
        "Code from your authenticator app, or a recovery code",
        "6 digits from the app, or one of the 8-character recovery codes.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        self.device = verify_code(self.user, code)
        if self.device is None:
            raise forms.ValidationError(
                "That code did not match, or was already used. Try the newest code.",
                code="mismatch",
            )
        return code
