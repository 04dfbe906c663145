"""Fuzzing the injection visit form and its formset of sites, and the entered-in-error
reason (a neurologist on the care team): never a 500, never a partial save, and a saved
visit (or reason) is whole."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest
import time_machine
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz import (
    FUZZ_SETTINGS,
    NOW,
    TODAY,
    Post,
    example_savepoint,
    last,
    posts,
    send,
    shows_errors,
)
from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import visit_payload
from treatments.forms.visits import ADD_ROW, REMOVE_ROW, START_FROM_LAST
from treatments.models import InjectionSite, InjectionVisit

pytestmark = pytest.mark.django_db
EDITOR_ACTIONS = (ADD_ROW, REMOVE_ROW, START_FROM_LAST)
TWO_SITES = (("sternocleidomastoid", "left", "50", "2"), ("trapezius", "right", "40", "3"))


def url(patient) -> str:
    return reverse("treatments:visit_create", args=[patient.uuid])


@pytest.fixture
def visit_client(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    with time_machine.travel(NOW, tick=True):
        yield client


def valid_post() -> Post:
    return {key: str(value) for key, value in visit_payload(sites=TWO_SITES).items()}


def counts() -> tuple[int, int]:
    return InjectionVisit.objects.count(), InjectionSite.objects.count()


def posted_sites(data: Post) -> set[tuple]:
    """The rows a saved visit must hold: every posted row, up to TOTAL_FORMS, with a muscle.

    Numbers are read as Django's form fields read them ("1." is the integer 1)."""
    integer = forms.IntegerField().clean
    rows = set()
    for index in range(integer(last(data["sites-TOTAL_FORMS"]))):
        muscle = last(data.get(f"sites-{index}-muscle", ""))
        if muscle:
            rows.add(
                (
                    integer(muscle),
                    last(data[f"sites-{index}-side"]),
                    Decimal(last(data[f"sites-{index}-units"])),
                    integer(last(data[f"sites-{index}-points"])),
                )
            )
    return rows


def check_visit_post(client, patient, data: Post) -> None:
    with example_savepoint():
        before = counts()
        response = send(client, url(patient), data)
        if response is None or response.status_code == 200:
            assert counts() == before, "a refused visit saved rows"
            editing = any(action in data for action in EDITOR_ACTIONS)
            assert response is None or editing or shows_errors(response)
            return
        visit = InjectionVisit.objects.get(patient=patient)
        assert response["Location"] == reverse(
            "treatments:visit_detail", args=[patient.uuid, visit.uuid]
        )
        sites = list(visit.sites.all())
        assert sites, "a visit was saved without sites"
        assert counts() == (before[0] + 1, before[1] + len(sites))
        saved = {(s.muscle_id, s.side, s.units, s.points) for s in sites}
        try:
            assert saved == posted_sites(data)
        except (ValueError, InvalidOperation, forms.ValidationError):  # pragma: no cover
            pytest.fail(f"saved {saved} from rows that do not parse: {data}")
        detail = client.get(response["Location"])
        assert detail.status_code == 200
        assert detail.context["total_units"] == sum(s.units for s in sites)


def test_the_valid_post_records_a_visit_with_its_sites(visit_client, patient_record):
    with example_savepoint():
        assert send(visit_client, url(patient_record), valid_post()).status_code == 302
        assert InjectionSite.objects.count() == 2
    check_visit_post(visit_client, patient_record, valid_post())


# Fixtures are built once for all examples (the valid post needs catalog keys, so it is
# drawn inside); each example runs in a rolled-back savepoint.
@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_visit_post_is_a_page_with_errors_or_a_whole_visit(
    visit_client, patient_record, draw: st.DataObject
):
    data = draw.draw(posts(valid_post(), extra_names=EDITOR_ACTIONS), label="post")
    check_visit_post(visit_client, patient_record, data)


def error_url(visit) -> str:
    return reverse("treatments:visit_error", args=[visit.patient.uuid, visit.uuid])


def check_error_post(client, visit, data: Post) -> None:
    """Marking a visit entered in error: refused with the field marked, or the reason kept
    exactly as posted (trimmed): never cut, never a NUL byte (a DataError on PostgreSQL)."""
    with example_savepoint():
        response = send(client, error_url(visit), data)
        after = InjectionVisit.objects.get(pk=visit.pk)
        if response is None or response.status_code == 200:
            assert not after.entered_in_error, "a refused reason marked the visit"
            assert response is None or "is-invalid" in response.content.decode()
            return
        reason = after.entered_in_error_reason
        assert reason == last(data["reason"]).strip()
        assert "\x00" not in reason and 0 < len(reason) <= 300
        assert after.history.count() == 2


@pytest.fixture
def recorded_visit(patient_record):
    return visit_with_sites(patient_record, date=TODAY)


@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_entered_in_error_post_is_refused_or_keeps_the_whole_reason(
    visit_client, recorded_visit, draw: st.DataObject
):
    data = draw.draw(posts({"reason": "Recorded for the wrong patient"}), label="post")
    check_error_post(visit_client, recorded_visit, data)
