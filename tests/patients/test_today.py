"""Today: the patient's diary page (log, re-save, fill from the last entry, previous days)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import conditional_escape

from clinic.models import AuditEvent
from patients.forms.diary import DiaryEntryForm
from patients.models import DiaryEntry, Patient, RegionSeverity
from patients.selectors.diary import diary_entry_for_day, entry_and_fill_source, fill_source
from patients.signals import diary_changed
from patients.templatetags.choice_tags import choice_buttons
from tests.navigation import current_nav_items
from tests.patients.conftest import TODAY, diary_post, is_checked
from tests.patients.factories import DiaryEntryFactory
from treatments.models import CycleProfile

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 200),
        ("other_patient", 200),
        ("treating_neurologist", 403),
        ("other_neurologist", 403),
        ("staff", 403),
        ("admin", 403),
    ],
    indirect=["persona"],
)
def test_who_may_open_today(client_for, persona, status, patient_record, clock):
    response = client_for(persona).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_each_patient_sees_only_their_own_diary(client_for, patient, other_patient_record, clock):
    DiaryEntryFactory(patient=other_patient_record, date=TODAY, note="not yours")
    html = client_for(patient).get(URL).content.decode()
    assert "not yours" not in html


def test_page_has_eleven_radio_buttons_per_question_in_fieldsets(client_for, patient, clock):
    html = client_for(patient).get(URL).content.decode()
    for name in ("severity", "pain", "interference"):
        for value in range(11):
            assert f'id="id_{name}_{value}"' in html
        assert f'type="radio" name="{name}" value="11"' not in html
        assert f'for="id_{name}_10"' in html
    region = patient.patient.regions.get()
    assert f'name="region_{region.pk}"' in html
    assert html.count("<fieldset") >= 6  # 3 questions, regions group + 1 region, triggers
    assert html.count("<legend") == html.count("<fieldset")
    assert 'type="checkbox" name="triggers" value="bright_light"' in html


def test_saving_creates_the_entry_and_redirects_with_a_confirmation(
    client_for, patient, patient_record, clock
):
    client = client_for(patient)
    response = client.post(URL, diary_post(patient_record, TODAY))
    assert response.status_code == 302
    assert response["Location"] == URL
    entry = DiaryEntry.objects.get(patient=patient_record, date=TODAY)
    assert (entry.severity, entry.pain, entry.interference) == (6, 2, 4)
    assert entry.triggers == ["poor_sleep", "stress"]
    assert entry.entered_by == patient
    assert [rs.severity for rs in entry.regions.all()] == [7]
    page = client.get(URL).content.decode()
    assert 'role="status"' in page
    assert "Saved your diary for Tuesday 10 June 2025." in page
    assert is_checked(page, "id_severity_6")
    assert is_checked(page, "id_triggers_3")  # poor sleep
    assert not is_checked(page, "id_severity_5")


def test_double_post_makes_one_entry_and_no_error(client_for, patient, patient_record, clock):
    client = client_for(patient)
    first = client.post(URL, diary_post(patient_record, TODAY))
    second = client.post(URL, diary_post(patient_record, TODAY))
    assert (first.status_code, second.status_code) == (302, 302)
    assert DiaryEntry.objects.filter(patient=patient_record).count() == 1
    assert RegionSeverity.objects.filter(entry__patient=patient_record).count() == 1


def test_saving_a_day_again_updates_it(client_for, patient, patient_record, clock):
    client = client_for(patient)
    client.post(URL, diary_post(patient_record, TODAY))
    client.post(URL, diary_post(patient_record, TODAY, severity="2", triggers=[], note=""))
    entry = DiaryEntry.objects.get(patient=patient_record)
    assert (entry.severity, entry.triggers, entry.note) == (2, [], "")
    assert entry.history.count() == 2  # the earlier values are kept


def test_save_sends_diary_changed_in_its_transaction_and_audits(
    client_for, patient, patient_record, clock
):
    received = []

    def receiver(sender, patient, day, **kwargs):
        # Sent inside the saving transaction: the entry is already there to read.
        received.append((patient.pk, day, DiaryEntry.objects.filter(patient=patient).count()))

    diary_changed.connect(receiver)
    try:
        client_for(patient).post(URL, diary_post(patient_record, TODAY))
    finally:
        diary_changed.disconnect(receiver)
    assert received == [(patient_record.pk, TODAY, 1)]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert event.patient_uuid == patient_record.uuid
    assert event.object_type == "patients.diaryentry"


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_commit(client_for, patient, patient_record, clock):
    """The entry, its history, the profile's stale mark and the audit row commit together:
    none is stored without the others (it was four commits, the audit row last)."""
    client = client_for(patient)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, diary_post(patient_record, TODAY))
    assert response.status_code == 302
    commits = [q["sql"] for q in queries.captured_queries if q["sql"] == "COMMIT"]
    assert len(commits) == 1
    assert DiaryEntry.objects.filter(patient=patient_record).count() == 1
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 1


def test_a_failed_audit_write_saves_nothing(client_for, patient, patient_record, clock):
    client = client_for(patient)
    with (
        mock.patch("patients.views.diary.record_event", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        client.post(URL, diary_post(patient_record, TODAY))
    assert not DiaryEntry.objects.filter(patient=patient_record).exists()
    assert not RegionSeverity.objects.exists()
    assert not CycleProfile.objects.filter(patient=patient_record, stale_since__isnull=False)


def test_a_failed_stale_mark_saves_nothing(client_for, patient, patient_record, clock):
    """The mark is what makes the charts catch up: an entry is never stored without it."""

    def failing(sender, **kwargs):
        raise DatabaseError("could not write the mark")

    diary_changed.connect(failing)
    try:
        with pytest.raises(DatabaseError):
            client_for(patient).post(URL, diary_post(patient_record, TODAY))
    finally:
        diary_changed.disconnect(failing)
    assert not DiaryEntry.objects.filter(patient=patient_record).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_same_as_yesterday_fills_the_form_from_the_last_entry(
    client_for, patient, patient_record, clock
):
    yesterday = TODAY - timedelta(days=1)
    DiaryEntryFactory(patient=patient_record, date=yesterday, severity=3, pain=1, interference=8)
    client = client_for(patient)
    page = client.get(URL).content.decode()
    assert "Same as yesterday" in page
    assert f'href="{URL}?day={TODAY.isoformat()}&amp;fill=last"' in page
    filled = client.get(URL, {"day": TODAY.isoformat(), "fill": "last"}).content.decode()
    assert "Filled in from Monday 9 June" in filled
    assert is_checked(filled, "id_severity_3")
    assert is_checked(filled, "id_interference_8")
    assert not DiaryEntry.objects.filter(date=TODAY).exists()  # filling saves nothing


def test_without_any_entry_there_is_nothing_to_fill_from(client_for, patient, clock):
    page = client_for(patient).get(URL).content.decode()
    assert 'id="fill-last"' not in page


def test_previous_days_list_marks_missing_days(client_for, patient, patient_record, clock):
    DiaryEntryFactory(patient=patient_record, date=TODAY - timedelta(days=2))
    page = client_for(patient).get(URL).content.decode()
    assert page.count('class="day-link is-logged"') == 1
    assert page.count('class="day-link is-missing"') == 13
    assert f'?day={(TODAY - timedelta(days=13)).isoformat()}"' in page
    assert f'?day={(TODAY - timedelta(days=14)).isoformat()}"' not in page


def test_a_recent_day_can_be_entered(client_for, patient, patient_record, clock):
    day = TODAY - timedelta(days=13)
    client = client_for(patient)
    assert 'id="diary-form"' in client.get(URL, {"day": day.isoformat()}).content.decode()
    response = client.post(URL, diary_post(patient_record, day))
    assert response["Location"] == f"{URL}?day={day.isoformat()}"
    assert DiaryEntry.objects.filter(patient=patient_record, date=day).exists()


def test_older_days_are_read_only_for_the_patient(client_for, patient, patient_record, clock):
    day = TODAY - timedelta(days=14)
    DiaryEntryFactory(patient=patient_record, date=day, severity=9, note="old day")
    page = client_for(patient).get(URL, {"day": day.isoformat()}).content.decode()
    assert 'id="diary-form"' not in page
    assert "9 of 10" in page
    assert "can no longer be changed here" in page
    first = TODAY - timedelta(days=13)  # the 14 days are today and the 13 before it
    assert f"You can change your diary here from {first:%A} {first.day} {first:%B} to today" in page
    assert "more than 14 days ago" not in page  # this day is exactly 14 days back


@pytest.mark.parametrize("query", [{}, {"day": TODAY.isoformat()}], ids=["plain", "day_is_today"])
def test_the_menu_marks_today_as_the_current_page_on_today(client_for, patient, clock, query):
    html = client_for(patient).get(URL, query).content.decode()
    assert current_nav_items(html) == ["Today"]


@pytest.mark.parametrize("days_ago", [1, 13, 14, 200], ids=["1", "13", "14_read_only", "200"])
def test_a_past_day_is_marked_as_part_of_history_not_today(
    client_for, patient, patient_record, clock, days_ago
):
    """A past day is opened from History (or the recent days); it is not "Today"."""
    day = TODAY - timedelta(days=days_ago)
    DiaryEntryFactory(patient=patient_record, date=day)
    html = client_for(patient).get(URL, {"day": day.isoformat()}).content.decode()
    assert current_nav_items(html) == ["History"]


@pytest.mark.parametrize(("days_ago", "current"), [(0, "Today"), (3, "History")])
def test_a_refused_save_keeps_the_days_menu_item(
    client_for, patient, patient_record, clock, days_ago, current
):
    day = TODAY - timedelta(days=days_ago)
    response = client_for(patient).post(URL, diary_post(patient_record, day, severity=None))
    assert response.status_code == 200  # the form again, with its errors
    assert current_nav_items(response.content.decode()) == [current]


@pytest.mark.parametrize("day", ["2025-06-11", "2023-12-31", "not-a-date", "2025-6-1"])
def test_a_day_that_cannot_hold_an_entry_sends_back_to_today(client_for, patient, clock, day):
    client = client_for(patient)
    response = client.get(URL, {"day": day})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert 'role="status"' in client.get(URL).content.decode()


def test_today_follows_the_patients_time_zone(client_for, patient, patient_record, clock):
    # At 12:00 UTC it is already 00:00 the next day in Auckland.
    patient_record.time_zone = "Pacific/Auckland"
    patient_record.save()
    tomorrow_utc = TODAY + timedelta(days=1)
    page = client_for(patient).get(URL).content.decode()
    assert "Wednesday 11 June 2025" in page
    response = client_for(patient).post(URL, diary_post(patient_record, tomorrow_utc))
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient_record, date=tomorrow_utc).exists()


def test_the_save_time_is_shown_in_the_patients_time_zone(
    client_for, patient, patient_record, treating_neurologist, clock
):
    patient_record.time_zone = "Pacific/Auckland"  # 12:00 UTC is 00:00 the next day there
    patient_record.save()
    day = TODAY + timedelta(days=1)
    client_for(patient).post(URL, diary_post(patient_record, day))
    page = client_for(patient).get(URL).content.decode()
    assert "Last saved 11 Jun 2025, 00:00." in page
    correction = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient_record.uuid, "day": day.isoformat()},
    )
    page = client_for(treating_neurologist).get(correction).content.decode()
    assert "Last saved 11 Jun 2025, 00:00 (Auckland time) by" in page


def test_query_count_is_pinned_and_does_not_grow_with_the_diary(
    client_for, patient, patient_record, clock, django_assert_num_queries
):
    client = client_for(patient)
    for days_ago in range(1, 60):
        DiaryEntryFactory(patient=patient_record, date=TODAY - timedelta(days=days_ago))
    DiaryEntryFactory(patient=patient_record, date=TODAY)
    client.get(URL)  # warm the session
    # session, user, patient, regions, today's entry and the one before it (+ entered_by),
    # their region scores, the recent days, the audit event, unread count (menu)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("logged", "day"),
    [
        ([], 0),  # an empty diary
        ([0, 1, 5], 0),  # today and earlier days
        ([1, 5], 0),  # earlier days only
        ([0], 0),  # only today
        ([0, 2], 3),  # a day older than every entry: the earliest after it
        ([2], 2),  # the day itself, nothing before, nothing after
    ],
)
def test_entry_and_fill_source_match_the_separate_selectors(patient_record, clock, logged, day):
    for days_ago in logged:
        DiaryEntryFactory(patient=patient_record, date=TODAY - timedelta(days=days_ago))
    target = TODAY - timedelta(days=day)
    entry, source = entry_and_fill_source(patient_record, target)
    assert entry == diary_entry_for_day(patient_record, target)
    assert source == fill_source(patient_record, target)


def _django_buttons(field, label_class: str) -> str:
    """What the field templates rendered before choice_buttons: Django's own option tags
    (each input with its label in a span, which keeps the focus on the drawn button)."""
    return " ".join(
        f'<span class="choice">{choice.tag()}<label class="{label_class}" '
        f'for="{conditional_escape(target)}">{conditional_escape(choice.choice_label)}</label>'
        "</span>"
        for choice in field
        for target in [choice.id_for_label]
    )


@pytest.mark.parametrize("bound", [False, True])
def test_choice_buttons_write_what_django_widgets_write(patient_record, clock, bound):
    regions = list(patient_record.regions.all())
    kwargs = {"patient": patient_record, "regions": regions, "today": TODAY, "first_editable": None}
    if bound:  # pain missing (error, aria-invalid), two triggers chosen
        data = diary_post(patient_record, TODAY, pain=None, triggers=["stress", "other"])
        form = DiaryEntryForm(data, **kwargs)
        assert not form.is_valid()
    else:
        form = DiaryEntryForm(
            initial={"date": TODAY, "severity": 3, "triggers": ["fatigue"]}, **kwargs
        )
    names = ["severity", "pain", "interference", "triggers", *form.region_field_names]
    for name in names:
        assert choice_buttons(form[name], "score-option") == _django_buttons(
            form[name], "score-option"
        )
    assert choice_buttons(form["severity"], "score-option").count(" checked") == 1
    assert choice_buttons(form["triggers"], "t").count(" checked") == (2 if bound else 1)
    html = choice_buttons(form["pain"], "score-option")
    assert ('aria-invalid="true"' in html) is bound
    assert html.count("<input") == 11


def test_the_care_team_reads_the_save_time_with_a_zone_named_as_people_read_it(
    client_for, patient, patient_record, treating_neurologist, clock
):
    """Etc/GMT+5 is five hours behind UTC: "Etc/GMT+5 time" reads as five hours ahead."""
    patient_record.time_zone = "Etc/GMT+5"  # 12:00 UTC is 07:00 there
    patient_record.save()
    client_for(patient).post(URL, diary_post(patient_record, TODAY))
    correction = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient_record.uuid, "day": TODAY.isoformat()},
    )
    page = client_for(treating_neurologist).get(correction).content.decode()
    assert "Last saved 10 Jun 2025, 07:00 (UTC-05:00 time) by" in page
    assert "Etc/GMT" not in page


def test_a_zone_unknown_to_the_server_is_not_named_for_a_time_shown_in_utc(
    client_for, patient, patient_record, treating_neurologist, clock
):
    """The save time of a patient whose stored zone this server does not know is shown in
    the clinic's zone (``patient_zone``; UTC in these tests), named as such: labelled with
    the stored name, it would claim another clock."""
    client_for(patient).post(URL, diary_post(patient_record, TODAY))
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Mars/Olympus_Mons")
    correction = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient_record.uuid, "day": TODAY.isoformat()},
    )
    page = client_for(treating_neurologist).get(correction).content.decode()
    assert "Last saved 10 Jun 2025, 12:00 (UTC time) by" in page
    assert "Mars/Olympus_Mons time" not in page
