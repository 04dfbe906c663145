"""Registering a patient: the record, its affected regions (a formset), the list's search."""

from __future__ import annotations

import contextlib
import zoneinfo
from collections.abc import Mapping
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils import timezone

from clinic.meanwhile import CarriesMark
from clinic.models import User
from clinic.staffing import NO_NEUROLOGIST, clinic_without_neurologist
from patients.days import patient_zone
from patients.models import AffectedRegion, BodyRegion, Patient
from patients.selectors.patients import care_team_left, neurologists
from patients.services.registration import PATIENT_FIELDS, RegionChoice

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone this server knows, sorted (about 600 names)."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# A user's primary key is a BigAutoField: a posted number outside it is no user. Django's
# ``pk__in`` lookup does not check the range, and SQLite raises OverflowError (PostgreSQL
# a DataError): a 500 that tests/security/test_fuzz_registration.py found.
USER_PK_RANGE = range(-(2**63), 2**63)


class NeurologistChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            with contextlib.suppress(TypeError, ValueError):
                if int(pk) not in USER_PK_RANGE:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


# No patient alive was born, diagnosed or registered before this day: an earlier date is
# a typing error (and dates near year 1 broke the charts' date arithmetic).
EARLIEST_DATE = date(1900, 1, 1)


def _not_future(value: date | None, today: date, what: str, zone: str = "") -> None:
    """``today`` is the patient's; ``zone`` names it when it is not the clinic's (a date
    that is today at the clinic may still be tomorrow where the patient lives)."""
    if value is not None and value > today:
        where = f": in the patient's time zone ({zone}) it is {today:%d %B %Y}" if zone else ""
        raise forms.ValidationError(f"The {what} cannot be in the future{where}.")


def _not_too_early(value: date | None, what: str) -> None:
    if value is not None and value < EARLIEST_DATE:
        raise forms.ValidationError(
            f"The {what} cannot be before {EARLIEST_DATE.day} {EARLIEST_DATE:%B %Y}."
        )


class PatientForm(CarriesMark, forms.ModelForm):
    """The patient's record and care team (affected regions come in ``RegionFormSet``)."""

    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label="Time zone",
        help_text="Where the patient lives: it decides which day is their “today”.",
    )
    care_team = NeurologistChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Care team (neurologists)",
        error_messages={"required": "Choose at least one neurologist for the care team."},
    )
    # The record as the page showed it (``record_fingerprint``): a change saved meanwhile,
    # by a colleague or in another tab, is not silently undone.
    seen_record = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    mark_field = "seen_record"
    # Asked only when a patient of the same name and date of birth is registered already
    # (``ask_different_person``): registering them again would split one person's records.
    different_person = forms.BooleanField(
        required=False,
        label="This is another person with the same name and date of birth",
    )

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "medical_record_number",
            "email",
            "phone",
            "distribution",
            "etiology",
            "etiology_detail",
            "diagnosis_date",
            "registered_on",
            "time_zone",
            "care_team",
        ]
        labels = {
            "medical_record_number": "Medical record number",
            "email": "Email address (for the invitation)",
            "etiology_detail": "Etiology detail (optional)",
            "diagnosis_date": "Date of diagnosis (optional)",
            "registered_on": "Registered on",
        }
        help_texts = {"registered_on": "The patient's diary starts on this day."}
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "diagnosis_date": DATE_WIDGET,
            "registered_on": DATE_WIDGET,
        }

    def __init__(self, *args, first_diary_day: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.first_diary_day = first_diary_day
        self.fields["care_team"].queryset = neurologists()
        if self.instance.pk is not None:
            self._tell_care_team_left()
        if clinic_without_neurologist():
            said = self.fields["care_team"].help_text
            self.fields["care_team"].help_text = f"{said} {NO_NEUROLOGIST}".strip()
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "Person",
                Div(
                    Div("first_name", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                "date_of_birth",
                "medical_record_number",
                "email",
                "phone",
            ),
            Fieldset(
                "Dystonia",
                "distribution",
                "etiology",
                "etiology_detail",
                "diagnosis_date",
            ),
            Fieldset(
                "Care",
                "registered_on",
                Field("time_zone"),
                "care_team",
            ),
            "seen_record",
        )
        if self.data.get(self.add_prefix("different_person")):
            self.ask_different_person()

    def _tell_care_team_left(self) -> None:
        """Name the members who can no longer look after the patient (they have no box:
        saving leaves them out), so that staff choose another neurologist."""
        left = care_team_left(self.instance)
        if len(left) == 1:
            self.fields["care_team"].help_text = (
                f"{left[0]} is still on the care team but no longer sees this patient or "
                "gets their alerts. Choose another neurologist; saving leaves them out."
            )
        elif left:
            self.fields["care_team"].help_text = (
                f"{', '.join(left)} are still on the care team but no longer see this "
                "patient or get their alerts. Choose another neurologist; saving leaves "
                "them out."
            )

    def _today_for_patient(self) -> date:
        zone = patient_zone(self.cleaned_data.get("time_zone") or settings.TIME_ZONE)
        return timezone.now().astimezone(zone).date()

    def _kept_on_record(self, name: str) -> bool:
        """Whether ``name`` is a date the saved record already holds, unchanged. It is not
        refused as in the future: it was not when entered, and a time zone corrected to one
        behind the clinic may make the registration day the patient's tomorrow, which the
        diary allows (``patients.days.diary_start``)."""
        return self.instance.pk is not None and name not in self.changed_data

    def clean(self) -> dict:
        cleaned = super().clean()
        today = self._today_for_patient()
        zone = self.cleaned_data.get("time_zone") or settings.TIME_ZONE
        named = zone if today != timezone.localdate() else ""
        checks = [
            ("date_of_birth", "date of birth"),
            ("diagnosis_date", "date of diagnosis"),
            ("registered_on", "registration date"),
        ]
        for name, what in checks:
            try:
                if not self._kept_on_record(name):
                    bound, where = today, named
                    if name == "registered_on" and today < timezone.localdate():
                        # The clinic's record of when it registered the patient (the form's
                        # default, as a visit's date is): its date may be the patient's
                        # tomorrow; the diary starts on their today (``diary_start``).
                        bound, where = timezone.localdate(), ""
                    _not_future(cleaned.get(name), bound, what, where)
                _not_too_early(cleaned.get(name), what)
            except forms.ValidationError as error:
                self.add_error(name, error)
        born, diagnosed = cleaned.get("date_of_birth"), cleaned.get("diagnosis_date")
        if born and diagnosed and diagnosed < born:
            self.add_error("diagnosis_date", "The date of diagnosis is before the date of birth.")
        registered = cleaned.get("registered_on")
        if registered and self.first_diary_day and registered > self.first_diary_day:
            self.add_error(
                "registered_on",
                f"The diary already has entries from {self.first_diary_day:%d %B %Y}; "
                "registration cannot be later than that.",
            )
        return cleaned

    def ask_different_person(self) -> None:
        """Show the box confirming that the patient is not one already registered."""
        if "different_person" not in self.helper.layout.fields:
            self.helper.layout.fields.insert(1, "different_person")

    def confirms_different_person(self) -> bool:
        return bool(self.cleaned_data.get("different_person"))

    def seen_fingerprint(self) -> str | None:
        """The record's fingerprint the page was opened at; None for a new patient or a
        page without one."""
        return self.cleaned_data.get("seen_record") or None

    def patient_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PATIENT_FIELDS}


class AffectedRegionForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=BodyRegion.objects.all(), required=False, label="Body region"
    )
    side = forms.ChoiceField(
        choices=AffectedRegion.Side.choices,
        required=False,
        label="Side",
        help_text="Only for eyelids, shoulder, arm and hand, leg and foot.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict:
        cleaned = super().clean()
        region, side = cleaned.get("region"), cleaned.get("side") or ""
        if region is None:
            if side:
                self.add_error("region", "Choose the body region for this side.")
            return cleaned
        if region.lateral and not side:
            self.add_error("side", f"Choose the side for {region.name.lower()}.")
        if not region.lateral and side:
            self.add_error("side", f"{region.name} has no side; choose “Not applicable”.")
        return cleaned


class BaseRegionFormSet(forms.BaseFormSet):
    """Affected regions; ``locked`` names the regions that hold diary scores (not removable)."""

    def __init__(self, *args, locked: Mapping[tuple[int, str], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = dict(locked or {})

    def choices(self) -> list[RegionChoice]:
        """The regions the formset keeps (validated; not deleted, not empty)."""
        kept = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            region = form.cleaned_data.get("region")
            if region is not None:
                kept.append(RegionChoice(region=region, side=form.cleaned_data.get("side") or ""))
        return kept

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[tuple[int, str]] = set()
        for choice in self.choices():
            if choice.key in seen:
                raise forms.ValidationError(
                    f"{choice.region.name} is listed twice with the same side."
                )
            seen.add(choice.key)
        sides_by_region: dict[int, set[str]] = {}
        for choice in self.choices():
            sides_by_region.setdefault(choice.region.pk, set()).add(choice.side)
        for choice in self.choices():
            sides = sides_by_region[choice.region.pk]
            if "both" in sides and len(sides) > 1:  # the diary would ask about one side twice
                raise forms.ValidationError(
                    f"{choice.region.name} is listed for both sides and for one side: keep "
                    "“Both sides”, or list the left and the right separately."
                )
        if not seen:
            raise forms.ValidationError("Add at least one affected body region.")
        removed = [label for key, label in self.locked.items() if key not in seen]
        if removed:
            raise forms.ValidationError(
                f"{', '.join(removed)} already has diary scores and cannot be removed or changed."
            )


RegionFormSet = forms.formset_factory(
    AffectedRegionForm, formset=BaseRegionFormSet, extra=2, can_delete=True, max_num=20
)


def region_initial(regions) -> list[dict]:
    return [{"region": row.region, "side": row.side} for row in regions]


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search by name, medical record number, date of birth or phone",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"  # never in the address (see views.patient_list)
        self.helper.form_tag = False
