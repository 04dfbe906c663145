"""Handing a neurologist's patients over to another neurologist (a locum's cover, a
successor, a return), on one page instead of one record at a time."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from clinic.access import NEUROLOGIST
from clinic.models import User
from patients.models import Patient
from patients.selectors.patients import ALPHABETICAL, care_team_label, neurologists

ADD = "add"
REPLACE = "replace"
ALL = "all"
TICKED = "ticked"
NONE_TICKED = "Tick the patients to hand over, or choose all of them."


def handing_over_from() -> QuerySet[User]:
    """Whoever may hand patients over: every neurologist, and anyone still on a care team
    (switched off, or given another role, since)."""
    on_a_team = User.objects.filter(care_patients__isnull=False).values("pk")
    return User.objects.filter(Q(role=NEUROLOGIST) | Q(pk__in=on_a_team)).order_by(
        "last_name", "first_name", "username"
    )


def patients_of(member: User | None) -> QuerySet[Patient]:
    """The patients on ``member``'s care teams, by surname."""
    if member is None:
        return Patient.objects.none()
    return Patient.objects.filter(care_team=member).order_by(*ALPHABETICAL)


class _MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return care_team_label(obj)


class _PatientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Patient) -> str:
        return f"{obj.last_name}, {obj.first_name} · {obj.medical_record_number}"


class ChooseFromForm(forms.Form):
    """Whose patients to hand over (a GET form: a user's UUID only in the address)."""

    source = _MemberField(
        label="Neurologist whose patients to hand over",
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label="Choose…",
        error_messages={"required": "Choose the neurologist whose patients to hand over."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = handing_over_from()

    def add_prefix(self, field_name: str) -> str:
        # ``from``, as the address says it (a Python keyword cannot name the field).
        return "from" if field_name == "source" else super().add_prefix(field_name)

    def chosen(self) -> User | None:
        return self.cleaned_data["source"] if self.is_bound and self.is_valid() else None


class HandoverForm(forms.Form):
    """To whom, how (a cover or a replacement) and which of ``source``'s patients."""

    target = _MemberField(
        label="To the neurologist",
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label="Choose…",
        help_text="An active neurologist.",
        error_messages={"required": "Choose the neurologist who takes the patients."},
    )
    how = forms.ChoiceField(
        label="How",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a cover or a replacement."},
    )
    which = forms.ChoiceField(
        label="Which patients",
        widget=forms.RadioSelect,
        choices=[(ALL, "All of them"), (TICKED, "Only those ticked below")],
        error_messages={"required": "Choose all of them, or only those ticked."},
    )
    patients = _PatientsField(
        label="Patients",
        queryset=Patient.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, source: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        name = care_team_label(source)
        self.fields["target"].queryset = neurologists().exclude(pk=source.pk)
        self.fields["how"].choices = [
            (ADD, f"Add them to the care team; {name} stays on it (a cover)"),
            (REPLACE, f"They take the place of {name} on the care team"),
        ]
        self.fields["patients"].queryset = patients_of(source)

    def add_prefix(self, field_name: str) -> str:
        # ``to``, the pair of ``from``.
        return "to" if field_name == "target" else super().add_prefix(field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("which") == TICKED and not cleaned.get("patients"):
            self.add_error("patients", NONE_TICKED)
        return cleaned

    def chosen_patients(self) -> list[Patient]:
        if self.cleaned_data["which"] == ALL:
            return list(patients_of(self.source))
        return list(self.cleaned_data["patients"])
