"""The follow-up queue (treatments:followup_queue): who sees it, what it shows, its cost."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp, InjectionVisit
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
URL = reverse("treatments:followup_queue")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def both(patient_record, other_patient_record, today):
    """Reinjections due now for the patient and the other patient (visits 12 weeks ago)."""
    data.diary(patient_record)
    mine = data.visit(patient_record, on=today - timedelta(84))
    theirs = data.visit(other_patient_record, on=today - timedelta(84))
    return data.reinjection_of(mine), data.reinjection_of(theirs)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("other_patient", 403),
        ("admin", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 200),
        ("staff", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_queue(client, persona, status, both):
    client.force_login(persona)
    assert client.get(URL).status_code == status


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user"], indirect=True)
def test_signed_out_visitors_go_to_the_login_page(client_for, persona):
    response = client_for(persona).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def shown(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_every_patient(client, staff, both, patient_record, other_patient_record):
    html = shown(client, staff)
    assert patient_record.full_name in html
    assert other_patient_record.full_name in html


def test_neurologists_see_only_their_own_patients(
    client, treating_neurologist, other_neurologist, both, patient_record, other_patient_record
):
    html = shown(client, treating_neurologist)
    assert patient_record.full_name in html
    assert other_patient_record.full_name not in html
    html = shown(client, other_neurologist)
    assert other_patient_record.full_name in html
    assert patient_record.full_name not in html


def test_staff_filter_by_neurologist(
    client, staff, treating_neurologist, both, patient_record, other_patient_record
):
    html = shown(client, staff, neurologist=str(treating_neurologist.uuid))
    assert patient_record.full_name in html
    assert other_patient_record.full_name not in html


def test_a_row_shows_name_contact_and_due_window(client, staff, both, patient_record):
    patient_record.phone = "+44 20 7946 0000"
    patient_record.save()
    mine, _ = both
    html = shown(client, staff)
    assert patient_record.phone in html
    assert patient_record.email in html
    assert f"{mine.due_from:%-d %b %Y}" in html
    assert reverse("treatments:followup_detail", kwargs={"followup_uuid": mine.uuid}) in html


def test_staff_pages_show_no_diary_doses_or_notes(client, staff, both):
    data.assert_no_markers(shown(client, staff))
    for section in ("week", "overdue", "unscheduled", "scheduled"):
        data.assert_no_markers(shown(client, staff, show=section))


def rows(html: str) -> int:
    return html.count("<tr data-followup=")


def test_the_four_views(client, staff, patient_record, today):
    # One patient each: a later visit of the same patient would close the earlier
    # review and reinjection (test_followup_services.py).
    overdue = data.review_of(data.visit(patient_record, on=today - timedelta(60)))
    this_week = data.review_of(data.visit(PatientFactory(), on=today - timedelta(28)))
    later = data.review_of(data.visit(PatientFactory(), on=today))
    booked = data.reinjection_of(data.visit(PatientFactory(), on=today + timedelta(1)))
    services.followup_schedule(
        followup=booked,
        scheduled_at=timezone.make_aware(datetime.combine(booked.due_from, time(9))),
        actor=staff,
    )
    # Their reinjections are due after this week; the booking is the one scheduled row.
    week = shown(client, staff, show="week")
    assert str(this_week.uuid) in week and str(later.uuid) not in week
    assert str(overdue.uuid) in week  # the overdue are owed this week too
    assert str(overdue.uuid) in shown(client, staff, show="overdue")
    unscheduled = shown(client, staff, show="unscheduled")
    assert {str(f.uuid) in unscheduled for f in (overdue, this_week, later)} == {True}
    scheduled = shown(client, staff, show="scheduled")
    assert rows(scheduled) == 1 and str(booked.uuid) in scheduled


def followups_listed(html: str) -> list[str]:
    return re.findall(r'<tr data-followup="([0-9a-f-]+)"', html)


def test_an_unknown_view_falls_back_to_this_week(client, staff, both):
    listed = followups_listed(shown(client, staff))
    # The two reinjections due now, and the two reviews of those visits, overdue.
    assert len(listed) == 4
    assert listed == followups_listed(shown(client, staff, show="week"))
    assert followups_listed(shown(client, staff, show="everything")) == listed


def make_followups(count: int, neurologist, today, status: str = FollowUp.Status.DUE) -> None:
    """``count`` reinjections (open, or ``status``) over ``count // 5`` patients, in bulk
    (no services)."""
    toxin = data.product()
    patients = [PatientFactory(care_team=[neurologist]) for _ in range(max(1, count // 5))]
    visits = InjectionVisit.objects.bulk_create(
        InjectionVisit(
            patient=patients[i % len(patients)],
            date=today - timedelta(days=84 + i % 7),
            indication="cervical",
            product=toxin,
            lot_number="L",
            dilution_units_per_ml=1,
            guidance="emg",
        )
        for i in range(count)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            patient=visit.patient,
            source_visit=visit,
            kind=FollowUp.Kind.REINJECTION,
            due_from=today - timedelta(days=3),
            due_until=today + timedelta(days=3),
            status=status,
        )
        for visit in visits
    )


@pytest.mark.parametrize("persona", ["staff", "treating_neurologist"], indirect=True)
def test_the_query_count_is_the_same_for_5_and_500(
    client, persona, treating_neurologist, today, django_assert_num_queries
):
    client.force_login(persona)
    make_followups(5, treating_neurologist, today)
    with CaptureQueriesContext(connection) as small:
        html = client.get(URL).content.decode()
    assert rows(html) == 5
    make_followups(495, treating_neurologist, today)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(URL).content.decode()
    assert rows(html) == 50  # one page
    assert "Page 1 of 10" in html


def test_every_missed_reinjection_is_reachable_on_their_own_paged_view(
    client, staff, treating_neurologist, today, django_assert_num_queries
):
    """Above every view the first page of missed reinjections, under the true count and a
    link to their own view; that view pages through all of them at a constant cost."""
    make_followups(3, treating_neurologist, today, status=FollowUp.Status.MISSED)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"show": "missed"})
    queries = len(small.captured_queries)  # the next request clears the connection's log
    make_followups(57, treating_neurologist, today, status=FollowUp.Status.MISSED)

    week = shown(client, staff)
    assert 'Missed reinjections to rebook <span class="badge text-bg-warning">60</span>' in week
    above = week.split('id="followup-missed"')[1].split("</table>")[0]
    assert len(followups_listed(above)) == 50
    assert "see all 60 missed reinjections to rebook" in week
    assert "show=missed" in week.split('id="followup-missed-more"')[1].split("</p>")[0]
    with django_assert_num_queries(queries):
        first = client.get(URL, {"show": "missed"}).content.decode()
    assert 'id="followup-missed"' not in first  # not listed twice on their own view
    assert "Page 1 of 2" in first
    second = shown(client, staff, show="missed", page=2)
    listed = followups_listed(first) + followups_listed(second)
    missed = FollowUp.objects.filter(status=FollowUp.Status.MISSED)
    assert sorted(listed) == sorted(str(u) for u in missed.values_list("uuid", flat=True))


SECTIONS = ("week", "overdue", "unscheduled", "scheduled")


def test_a_missed_reinjection_stays_in_the_queue_to_be_rebooked(
    client, staff, patient_record, today
):
    """The patient did not come and has had no injection since: the reinjection is still
    owed. The detail page offers to rebook a missed follow-up, so the queue must lead to it."""
    reinjection = data.reinjection_of(data.visit(patient_record, on=today - timedelta(84)))
    services.followup_schedule(
        followup=reinjection, scheduled_at=timezone.now() + timedelta(minutes=30), actor=staff
    )
    services.followup_set_status(
        followup=reinjection, status="missed", reason="did not come", actor=staff
    )
    listed = {s: followups_listed(shown(client, staff, show=s)) for s in SECTIONS}
    assert any(str(reinjection.uuid) in rows for rows in listed.values()), listed


def test_a_missed_reinjection_shows_as_missed_and_leaves_once_the_patient_is_reinjected(
    client, staff, patient_record, today
):
    from treatments.selectors.followups import digest_counts

    first = data.visit(patient_record, on=today - timedelta(100))
    reinjection = data.reinjection_of(first)
    services.followup_schedule(
        followup=reinjection, scheduled_at=timezone.now() + timedelta(minutes=30), actor=staff
    )
    services.followup_set_status(
        followup=reinjection, status="missed", reason="did not come", actor=staff
    )
    page = shown(client, staff, show="unscheduled")
    row = page.split(f'data-followup="{reinjection.uuid}"')[1].split("</tr>")[0]
    assert "Missed" in row and "Not rebooked" in row
    missed_table = page.split('id="followup-missed"')[1].split("</table>")[0]
    assert followups_listed(missed_table) == [str(reinjection.uuid)]  # above every view
    queue_table = page.split('id="followup-queue"')[1]
    assert str(reinjection.uuid) not in queue_table  # not among the due ones
    assert digest_counts(today)["missed"] == 1

    data.visit(patient_record, on=today)  # reinjected after all
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.status_reason) == ("done", f"Reinjected on {today}")
    listed = {s: followups_listed(shown(client, staff, show=s)) for s in SECTIONS}
    assert all(str(reinjection.uuid) not in rows for rows in listed.values()), listed

    # A missed reinjection left from before a later visit closed those: the sweep closes it.
    FollowUp.objects.filter(pk=reinjection.pk).update(status="missed", status_reason="")
    services.followups_sweep(now=timezone.now())
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.status_reason) == ("done", f"Reinjected on {today}")


@pytest.mark.parametrize("bad", ["deactivated", "unknown", "not-a-uuid"])
def test_a_bad_neurologist_in_the_address_keeps_the_chosen_view(
    client, staff, treating_neurologist, both, today, bad
):
    """A bookmarked address naming a neurologist since deactivated (or mistyped) keeps its
    view; only the filter is dropped, and the page says so next to it."""
    booked, _ = both
    services.followup_schedule(
        followup=booked,
        scheduled_at=timezone.make_aware(datetime.combine(today + timedelta(3), time(9))),
        actor=staff,
    )
    if bad == "deactivated":
        treating_neurologist.is_active = False
        treating_neurologist.save()
    value = {
        "deactivated": str(treating_neurologist.uuid),
        "unknown": "6b0c6f43-8f1e-4a44-9d0c-3f7b1c2d9e10",
        "not-a-uuid": "nobody",
    }[bad]
    client.force_login(staff)
    response = client.get(URL, {"show": "scheduled", "neurologist": value})
    assert response.status_code == 200
    assert response.context["queue"].section == "scheduled"
    html = response.content.decode()
    assert followups_listed(html) == [str(booked.uuid)]
    assert "showing all neurologists" in html


def test_an_unknown_view_keeps_the_neurologist_filter(
    client, staff, treating_neurologist, both, patient_record, other_patient_record
):
    html = shown(client, staff, show="everything", neurologist=str(treating_neurologist.uuid))
    assert patient_record.full_name in html
    assert other_patient_record.full_name not in html
