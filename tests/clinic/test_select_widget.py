"""``clinic.widgets.Select`` writes the markup Django's ``Select`` templates write."""

from __future__ import annotations

import pytest
from django import forms

from clinic.widgets import Select

CHOICES = [
    ("", "All neurologists"),
    ("3bb482b4-3e16-47c1-9ae6-0698cdcfb73a", "Ines Adams"),
    ("a&b", "O'Brien <b>"),
    ('q"uote', "Zoë Ünal"),
    (7, "A number"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", 7, "7", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "select form-select", "id": "id_pick"}, {"disabled": True, "hidden": False}],
)
def test_the_markup_is_djangos(value, attrs):
    ours = Select(choices=CHOICES).render("pick", value, attrs=attrs)
    theirs = forms.Select(choices=CHOICES).render("pick", value, attrs=attrs)
    assert ours == theirs
    assert "O&#x27;Brien &lt;b&gt;" in ours


def test_a_field_renders_the_same_bound_or_unbound():
    class Pick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False, widget=Select)

    class Theirs(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False)

    for data in (None, {"pick": "a&b"}, {"pick": "nonsense"}):
        assert str(Pick(data)["pick"]) == str(Theirs(data)["pick"])


def test_no_choices_and_option_groups_are_djangos():
    assert Select().render("pick", None) == forms.Select().render("pick", None)
    groups = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
    assert Select(choices=groups).render("pick", "b") == forms.Select(choices=groups).render(
        "pick", "b"
    )
