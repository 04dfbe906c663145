"""Forms of the follow-up queue: filter, book, close, and the early-reinjection reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from clinic.models import User
from clinic.widgets import Select, Textarea
from treatments.models import FollowUp
from treatments.selectors.followups import SECTION_LABELS, Section, neurologists_for_filter

Status = FollowUp.Status


class _PlainHelper(FormHelper):
    """Crispy renders the fields; the template owns the <form> tag and its button."""

    form_tag = False
    disable_csrf = True


# The filter's choice of the patients none of whose care team may look after them (a
# neurologist who left, switched off or given another role, and nobody chosen since).
NO_ACTIVE_NEUROLOGIST = "none"
NO_ACTIVE_NEUROLOGIST_LABEL = "No active neurologist"


class _WithNoActiveNeurologist(ModelChoiceIterator):
    """The filter's options: all neurologists, no active neurologist, then each active
    neurologist (read lazily, as Django's own iterator)."""

    def __iter__(self):
        choices = super().__iter__()
        if self.field.empty_label is not None:
            yield next(choices)
        yield (NO_ACTIVE_NEUROLOGIST, NO_ACTIVE_NEUROLOGIST_LABEL)
        yield from choices

    def __len__(self) -> int:
        return super().__len__() + 1


class _NeurologistField(forms.ModelChoiceField):
    """A neurologist chosen by UUID, or ``NO_ACTIVE_NEUROLOGIST``: any value that names none
    on the list (not a UUID at all, a mangled address) is refused with the field's one
    "invalid_choice" message."""

    iterator = _WithNoActiveNeurologist

    widget = Select  # the list of every active neurologist, written without a template each

    def to_python(self, value):
        if value == NO_ACTIVE_NEUROLOGIST:
            return NO_ACTIVE_NEUROLOGIST
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class QueueFilterForm(forms.Form):
    """GET parameters of the queue: which view, and optionally one neurologist's patients.

    Each is read on its own: a bad value (a bookmarked address naming a neurologist since
    deactivated, or mistyped) drops only that filter, said next to its field, and keeps
    the other (the chosen view).
    """

    show = forms.ChoiceField(
        label="Show",
        choices=[(s.value, label) for s, label in SECTION_LABELS.items()],
        required=False,
    )
    neurologist = _NeurologistField(
        label="Neurologist",
        queryset=User.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="All neurologists",
        error_messages={
            "invalid_choice": (
                "That neurologist is not on the list (no longer active, or the address is "
                "wrong): showing all neurologists."
            )
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neurologist"].queryset = neurologists_for_filter()
        self.helper = _PlainHelper()

    def section(self) -> Section:
        """The chosen view; Due this week when none, or an unknown one, is chosen."""
        value = self._valid_value("show")
        return Section(value) if value else Section.WEEK

    def chosen_neurologist(self) -> User | None:
        """The chosen active neurologist; None (all) when none, or a bad one, is chosen."""
        value = self._valid_value("neurologist")
        return None if value == NO_ACTIVE_NEUROLOGIST else value

    def without_neurologist(self) -> bool:
        """Whether the patients with no active neurologist are chosen."""
        return self._valid_value("neurologist") == NO_ACTIVE_NEUROLOGIST

    def _valid_value(self, name: str):
        """The field's cleaned value, whatever the other field holds; None when invalid."""
        if not self.is_bound:
            return None
        self.is_valid()  # cleans once; cleaned_data keeps the fields that are valid
        return self.cleaned_data.get(name)


class DayListForm(QueueFilterForm):
    """GET parameters of the day's list: the day (today when none, or a mistyped one, said
    next to its field) and optionally one neurologist's patients."""

    day = forms.DateField(
        label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["show"]

    def chosen_day(self) -> date:
        """The chosen day; the clinic's today when none, or an invalid one, is chosen."""
        return self._valid_value("day") or timezone.localdate()


class ScheduleForm(forms.Form):
    """Book or rebook a follow-up: a date and a time (the clinic's time zone).

    ``with_reason`` adds the early-reinjection reason (neurologists on the care team only).
    ``seen_bookings`` carries the follow-up's ``bookings`` count as the page showed it, so
    a booking made meanwhile by someone else is not silently moved (optional: a page
    without it is not checked).
    """

    seen_bookings = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    # Hidden until a booking needs confirming (``ask_book_anyway``): then a checkbox.
    book_anyway = forms.BooleanField(label="Book anyway", required=False, widget=forms.HiddenInput)
    early_reason = forms.CharField(
        label="Reason for reinjecting before the minimum interval (only when booking early)",
        required=False,
        max_length=1000,
        widget=Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, with_reason: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["early_reason"]
        self.helper = _PlainHelper()

    def clean(self) -> dict:
        data = super().clean()
        day, hour = data.get("date"), data.get("time")
        if (
            day
            and hour
            and not wall_time_exists(datetime.combine(day, hour), timezone.get_current_timezone())
        ):
            self.add_error(
                "time",
                f"There is no {hour:%H:%M} on {day:%d %b %Y} in the clinic's time zone: "
                "the clocks go forward that night. Choose another time.",
            )
        return data

    @property
    def asks_book_anyway(self) -> bool:
        """Whether the "Book anyway" box is shown (``ask_book_anyway``)."""
        return isinstance(self.fields["book_anyway"].widget, forms.CheckboxInput)

    def ask_book_anyway(self, asked: bool = True) -> None:
        """After a refusal: the "Book anyway" box, unticked, when staff may override it
        (``services.NeedsConfirmation``), so sending the form again books it knowingly;
        ``asked`` False (another refusal) drops a tick sent before, never carried on
        unseen to a booking it was not given for."""
        if asked:
            self.fields["book_anyway"].widget = forms.CheckboxInput()
        self.data = self.data.copy()
        self.data.pop(self.add_prefix("book_anyway"), None)

    def show_bookings(self, bookings: int) -> None:
        """After a refusal for a booking made meanwhile, the page shows that booking: the
        form sent again carries its count, so the booking is then moved knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_bookings")] = str(bookings)

    def scheduled_at(self) -> datetime:
        """The booked moment as an aware datetime in the clinic's time zone.

        A wall time that occurs twice (the night the clocks go back) is its first occurrence.
        """
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive, timezone.get_current_timezone())


def wall_time_exists(naive: datetime, zone: tzinfo) -> bool:
    """False for a wall time skipped when the clocks go forward (02:30 on a spring night)."""
    aware = naive.replace(tzinfo=zone)
    try:
        return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    except OverflowError:  # the calendar's ends: the booking horizon refuses those
        return True


# What each outcome does, said on its choice: "Cancelled" alone reads as what a patient who
# phoned did, yet it ends a reinjection (nothing more owed, the patient leaves the queue).
OUTCOME_LABELS: dict[str, dict[str, str]] = {
    FollowUp.Kind.REINJECTION: {
        Status.DONE: "Done: the injection visit took place",
        Status.MISSED: "Missed, or the patient cannot come: still owed, listed to rebook",
        Status.CANCELLED: "Cancelled: no longer needed, nothing more is owed",
    },
    FollowUp.Kind.REVIEW: {
        Status.DONE: "Done: the call took place",
        Status.MISSED: "Missed, or the patient cannot come: the call is closed",
        Status.CANCELLED: "Cancelled: no longer needed",
    },
}


def outcome_choices(kind: str) -> list[tuple[str, str]]:
    """The closing outcomes of a follow-up of ``kind``, each labelled with its effect."""
    labels = OUTCOME_LABELS[kind]
    return [(status, labels[status]) for status in (Status.DONE, Status.MISSED, Status.CANCELLED)]


class StatusForm(forms.Form):
    """Close a follow-up: done, missed or cancelled (a reason for the last two).

    ``seen_bookings`` carries the follow-up's ``bookings`` count as the page showed it, so a
    booking a colleague made or moved meanwhile is not closed unseen (as ``ScheduleForm``).
    """

    seen_bookings = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    status = forms.ChoiceField(
        label="Outcome",
        choices=[(s, Status(s).label) for s in (Status.DONE, Status.MISSED, Status.CANCELLED)],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", required=False, max_length=300)

    def __init__(self, *args, kind: str = FollowUp.Kind.REINJECTION, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = outcome_choices(kind)
        self.helper = _PlainHelper()

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("status") in (Status.MISSED, Status.CANCELLED)
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", "Give the reason.")
        return data

    def show_bookings(self, bookings: int) -> None:
        """After a refusal for a booking made meanwhile, the page shows that booking: the
        form sent again carries its count, so the follow-up is then closed knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_bookings")] = str(bookings)


class EarlyApprovalForm(forms.Form):
    """The treating neurologist's reason for a reinjection before the minimum interval."""

    reason = forms.CharField(
        label="Reason for allowing a reinjection before the minimum interval",
        max_length=1000,
        widget=Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _PlainHelper()
