"""Today's validation: each bad input gets a clear message by its field, keeps what was typed,
and changes no row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import DiaryEntry, RegionSeverity
from tests.patients.conftest import TODAY, diary_post, is_checked
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")
TYPED_NOTE = "I typed this note before the error"


def snapshot() -> tuple:
    """Every stored diary value and history row: equal before and after means nothing saved."""
    return (
        sorted(
            DiaryEntry.objects.values_list(
                "patient_id", "date", "severity", "pain", "interference", "triggers", "note"
            )
        ),
        sorted(RegionSeverity.objects.values_list("entry_id", "affected_region_id", "severity")),
        DiaryEntry.history.count(),
        RegionSeverity.history.count(),
        # The re-shown page is a VIEW of the patient's diary; no write may be recorded.
        AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count(),
    )


@pytest.fixture
def stored_today(patient_record, clock):
    """An entry already saved for TODAY, which a bad post must leave alone."""
    entry = DiaryEntryFactory(patient=patient_record, date=TODAY, severity=5, note="saved")
    RegionSeverity.objects.create(
        entry=entry, affected_region=patient_record.regions.get(), severity=4
    )
    return entry


def region_key(record) -> str:
    return f"region_{record.regions.get().pk}"


def case(name, overrides, message, anchor=None):
    """One bad post: ``overrides(patient_record, other_patient_record)`` changes a valid form."""
    return pytest.param(overrides, message, anchor, id=name)


LATER = (TODAY + timedelta(days=1)).isoformat()
TOO_OLD = (TODAY - timedelta(days=14)).isoformat()
CASES = [
    case(
        "severity_11",
        lambda p, o: {"severity": "11"},
        "0 to 10 for overall severity",
        "id_severity_group",
    ),
    case(
        "severity_minus_1",
        lambda p, o: {"severity": "-1"},
        "0 to 10 for overall severity",
        "id_severity_group",
    ),
    case(
        "severity_fraction",
        lambda p, o: {"severity": "4.5"},
        "whole number from 0 to 10",
        "id_severity_group",
    ),
    case(
        "severity_word",
        lambda p, o: {"severity": "bad"},
        "whole number from 0 to 10",
        "id_severity_group",
    ),
    case(
        "severity_missing",
        lambda p, o: {"severity": None},
        "Choose a number from 0 to 10 for overall",
        "id_severity_group",
    ),
    case("pain_99", lambda p, o: {"pain": "99"}, "from 0 to 10 for pain", "id_pain_group"),
    case(
        "interference_missing",
        lambda p, o: {"interference": None},
        "interference with daily",
        "id_interference_group",
    ),
    case("region_12", lambda p, o: {region_key(p): "12"}, "from 0 to 10 for neck"),
    case(
        "region_missing",
        lambda p, o: {region_key(p): None},
        "Choose a number from 0 to 10 for neck",
    ),
    case(
        "region_not_the_patients",
        lambda p, o: {region_key(o): "3"},
        "not in your record",
        "regions",
    ),
    case("region_unknown", lambda p, o: {"region_999999": "3"}, "not in your record", "regions"),
    case(
        "trigger_unknown",
        lambda p, o: {"triggers": ["stress", "full_moon"]},
        "“full_moon” is not one",
        "id_triggers_group",
    ),
    case(
        "date_future",
        lambda p, o: {"date": LATER},
        "Wednesday 11 June 2025 is in the future",
        "diary-day",
    ),
    case(
        "date_before_registration",
        lambda p, o: {"date": "2023-12-31"},
        "The diary starts on Monday 1 January 2024",
        "diary-day",
    ),
    case(
        "date_older_than_14_days",
        lambda p, o: {"date": TOO_OLD},
        "can no longer be changed here",
        "diary-day",
    ),
    case("date_garbage", lambda p, o: {"date": "10/06/2025"}, "written as YYYY-MM-DD", "diary-day"),
    case("date_missing", lambda p, o: {"date": None}, "did not say which day", "diary-day"),
    case("note_too_long", lambda p, o: {"note": "x" * 2001}, "at most 2000 characters", "id_note"),
]


@pytest.mark.parametrize(("overrides", "message", "anchor"), CASES)
def test_invalid_input_is_explained_and_changes_nothing(
    client_for,
    patient,
    patient_record,
    other_patient_record,
    stored_today,
    overrides,
    message,
    anchor,
):
    changes = overrides(patient_record, other_patient_record)
    data = diary_post(patient_record, TODAY, note=TYPED_NOTE)
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    typed = data["note"]
    client = client_for(patient)  # signing in writes a LOGIN audit event of its own
    before = snapshot()

    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html
    if anchor is None:
        anchor = f"id_{region_key(patient_record)}_group"
    assert f'href="#{anchor}"' in html, "the summary links to the field"
    assert f'id="{anchor}"' in html, "to an element of the page (a question's whole fieldset)"
    assert html.count(message) >= 2, "the message is in the summary and next to the field"
    assert snapshot() == before
    assert typed in html  # the form (or, for a closed day, the unsaved note) keeps what was typed
    if changes.get("date") == TOO_OLD:  # a closed day is shown read-only: no form to answer
        assert 'id="diary-form"' not in html
    elif "pain" not in changes:
        assert is_checked(html, "id_pain_2")


def test_a_post_for_another_patient_cannot_be_made(
    client_for, patient, patient_record, other_patient_record, clock
):
    """The diary page only ever writes the signed-in patient's own record."""
    client = client_for(patient)  # signing in writes a LOGIN audit event of its own
    before = snapshot()
    data = diary_post(other_patient_record, TODAY)
    response = client.post(URL, data)
    assert response.status_code == 200  # the other patient's region is refused
    assert snapshot() == before
    assert not DiaryEntry.objects.filter(patient=other_patient_record).exists()


def test_the_summary_keeps_the_questions_own_words_and_names_the_note(
    client_for, patient, patient_record, clock
):
    data = diary_post(patient_record, TODAY, severity=None, note="x" * 2001)
    summary = client_for(patient).post(URL, data).context["summary"]
    assert summary == [
        ("#id_severity_group", "Choose a number from 0 to 10 for overall severity."),
        (
            "#id_note",
            "Note (optional): Ensure this value has at most 2000 characters (it has 2001).",
        ),
    ]


def test_a_note_counts_a_line_break_once():
    """The textarea's maxlength counts a line break as one character; the form sends two."""
    from clinic.widgets import Textarea

    assert Textarea().value_from_datadict({"note": "a\r\nb"}, {}, "note") == "a\nb"
    assert Textarea().value_from_datadict({}, {}, "note") is None
