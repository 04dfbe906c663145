"""The error summary's links (clinic/error_summary.py): away from its field, every message
still says which field it is about."""

from __future__ import annotations

from django import forms

from clinic.error_summary import form_errors


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=5)
    time = forms.TimeField(
        label="Reminder time", error_messages={"required": "Choose a reminder time."}
    )
    day = forms.DateField(widget=forms.HiddenInput, error_messages={"required": "No day."})
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red")], widget=forms.RadioSelect)

    def clean_day(self):
        raise forms.ValidationError("That day is in the future.", code="future")


def summary(data: dict, **options) -> list[tuple[str, str]]:
    form = ExampleForm(data)
    assert not form.is_valid()
    return form_errors(form, **options)


def test_djangos_own_words_are_prefixed_with_the_label():
    links = dict(summary({"time": "08:00", "day": "2025-01-01", "colour": "red"}))
    assert links["#id_name"] == "Your name: This field is required."


def test_a_validators_message_is_prefixed_with_the_label():
    links = dict(summary({"name": "too long", "time": "08:00", "colour": "red"}))
    assert links["#id_name"] == (
        "Your name: Ensure this value has at most 5 characters (it has 8)."
    )


def test_a_fields_own_message_stands_alone():
    links = dict(summary({"name": "Ana", "colour": "red"}))
    assert links["#id_time"] == "Choose a reminder time."


def test_a_hidden_field_has_no_label_to_show():
    links = summary({"name": "Ana", "time": "08:00", "day": "2025-01-01", "colour": "red"})
    assert links == [("#id_day", "That day is in the future.")]


def test_a_group_links_to_its_first_option_unless_told_otherwise():
    data = {"name": "Ana", "time": "08:00", "day": "2025-01-01", "colour": "blue"}
    links = summary(data, anchors={"day": "the-day"})
    assert (
        "#id_colour_0",
        "Colour: Select a valid choice. blue is not one of the available choices.",
    ) in links
    assert ("#the-day", "That day is in the future.") in links
