"""The one rule for a form posted from a page opened before its record was saved again
(clinic/meanwhile.py), which the patient's record, a diary day's, a visit's, a treatment's
and a rating's pages use."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict

from clinic.meanwhile import CarriesMark, SavedMeanwhile, refuse_if_saved_meanwhile


def never() -> object:
    raise AssertionError("asked the record's mark")


def test_a_page_without_a_mark_is_not_compared():
    refuse_if_saved_meanwhile(None, never, never)


@pytest.mark.parametrize("mark", [3, "a1b2"])
def test_the_same_mark_passes(mark):
    refuse_if_saved_meanwhile(mark, lambda: mark, never)


@pytest.mark.parametrize(("seen", "now"), [(2, 3), ("a1b2", "c3d4")])
def test_another_mark_is_refused_with_the_mark_now(seen, now):
    with pytest.raises(SavedMeanwhile) as refused:
        refuse_if_saved_meanwhile(seen, lambda: now, lambda: "Saved meanwhile.")
    assert refused.value.now == now and refused.value.messages == ["Saved meanwhile."]


class RecordForm(CarriesMark, forms.Form):
    mark_field = "seen_record"
    seen_record = forms.CharField(widget=forms.HiddenInput, required=False)


def test_the_page_sent_again_carries_the_mark_now():
    form = RecordForm(QueryDict("seen_record=old"), prefix="p")
    form.carry_mark("new")
    assert form.data["p-seen_record"] == "new"
