"""The canary: a patient's clinical data never reaches staff or admin pages, emails, logs
or task messages.

The patient's diary notes, region severities, doses, lot, notes, assessment total and
treatment course carry marker values (tests/security/canary.py). First the treating
neurologist's pages must show every marker (else the canary could not see a leak); then,
recording every log line and task message, staff and admin crawl every page they can
reach from every URL pattern, staff book and invite, and the background work runs
(summaries, follow-up sweep, reminders, digest, alerts, deliveries): no marker anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from clinic.celery import app
from patients.models import DiaryEntry, RegionSeverity
from tests.security import canary
from tests.security.matrix import sign_in
from tests.security.world import World, build_world
from tests.urlwalk import all_routes
from treatments.models import FollowUp
from treatments.services.followups import followups_sweep, morning_digest, notifications_scan
from treatments.tasks.summaries import sweep_stale_summaries

# 20:00 UTC today: after the patients' 19:00 reminder and the staff's 07:00 digest.
EVENING = datetime.combine(datetime.now(UTC).date(), time(20, 0), tzinfo=UTC)


@pytest.fixture
def evening():
    with time_machine.travel(EVENING, tick=True):
        yield


def eight_days_of_region_scores(world: World) -> None:
    """The region-severity sequence: seven days before the world's diary day, then it."""
    last = world.diary_entry
    for offset, severity in enumerate(canary.REGION_SEVERITIES[:-1]):
        day = last.date - timedelta(days=len(canary.REGION_SEVERITIES) - 1 - offset)
        entry = DiaryEntry.objects.create(
            patient=world.patient, date=day, severity=5, pain=3, interference=4
        )
        for region in world.patient.regions.all():
            RegionSeverity.objects.create(entry=entry, affected_region=region, severity=severity)


def care_team_pages(world: World) -> list[str]:
    patient, day = world.patient.uuid, world.diary_entry.date.isoformat()
    base = f"/patients/{patient}"
    return [
        f"{base}/chart/?range=all",
        f"{base}/diary/{day}/",
        f"{base}/visits/{world.visit.uuid}/",
        f"{base}/treatments/",
        f"{base}/treatments/{world.course.uuid}/edit/",
        f"{base}/assessments/",
    ]


def route_paths(world: World) -> list[str]:
    """Every URL pattern's path with the world's objects, GET-able or not."""
    return [world.path(route) for route in all_routes()]


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_markers_show_where_the_care_team_reads(
    evening, patient_record, treating_neurologist, staff
):
    """The canary's self-check: every marker is on the care team's pages, so a marker
    missing from staff pages is missing because it was withheld."""
    world = build_world(
        patient=patient_record,
        neurologist=treating_neurologist,
        staff=staff,
        markers=canary.markers(),
    )
    eight_days_of_region_scores(world)
    evidence = canary.Evidence()
    neurologist = signed_in(treating_neurologist)
    for path in care_team_pages(world):
        response = neurologist.get(path)
        assert response.status_code == 200, path
        evidence.look(path, response.content.decode())
    shown = {name for _, names in evidence.hits for name in names}
    assert sorted(set(canary.NEEDLES) - shown) == []


def test_no_marker_reaches_staff_admin_emails_logs_or_tasks(
    evening,
    patient_record,
    treating_neurologist,
    staff,
    admin,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
    capsys,
):
    world = build_world(
        patient=patient_record,
        neurologist=treating_neurologist,
        staff=staff,
        markers=canary.markers(),
    )
    eight_days_of_region_scores(world)
    evidence = canary.Evidence()
    pages = 0
    with (
        canary.all_log_lines() as log_lines,
        canary.task_messages(monkeypatch, app) as tasks,
    ):
        staff_client, admin_client = signed_in(staff), signed_in(admin)
        with django_capture_on_commit_callbacks(execute=True):
            book_and_invite(staff_client, world)
        with django_capture_on_commit_callbacks(execute=True):
            background_work()
        pages += canary.crawl(staff_client, route_paths(world), evidence)
        pages += canary.crawl(admin_client, route_paths(world), evidence)

    for index, message in enumerate(mailoutbox):
        evidence.look(f"email {index} to {message.to}", message_text(message))
    for line in log_lines:
        evidence.look("log line", line)
    for task in tasks:
        evidence.look("task message", task)
    summary = (
        f"canary: {sum(len(n) for _, n in evidence.hits)} markers in {pages} pages, "
        f"{len(mailoutbox)} emails, {len(log_lines)} log lines, {len(tasks)} task messages"
    )
    with capsys.disabled():
        print("\n" + summary)
    # The run must have produced something to look at.
    assert pages > 40 and len(mailoutbox) >= 5 and tasks and log_lines, summary
    leaks = [f"{source}: {', '.join(names)}" for source, names in evidence.hits]
    assert leaks == [], summary + "\n" + "\n".join(leaks)


def book_and_invite(client: Client, world: World) -> None:
    """Staff book the review (the patient is told) and invite the unregistered patient.
    The review is more than 48 hours ahead, so that a reminder follows its notice."""
    review = FollowUp.objects.get(source_visit=world.visit, kind=FollowUp.Kind.REVIEW)
    when = timezone.localtime() + timedelta(days=3)
    response = client.post(
        f"/follow-ups/{review.uuid}/schedule/",
        {"date": when.date().isoformat(), "time": "10:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(f"/patients/{world.invited_patient.uuid}/invite/")
    assert response.status_code == 302


def background_work() -> None:
    """What beat runs: summaries (then cycle alerts), the sweep, the scan, the digest."""
    sweep_stale_summaries.delay()
    now = timezone.now()
    followups_sweep(now=now)
    # An overdue reinjection, so that the staff digest has something to say.
    today = timezone.localdate()
    FollowUp.objects.filter(kind=FollowUp.Kind.REINJECTION).update(
        due_from=today - timedelta(days=20), due_until=today - timedelta(days=10)
    )
    notifications_scan(now=now)
    morning_digest(now=now)
    notifications_scan(now=now + timedelta(days=1))  # the review's 48-hour reminder


def message_text(message) -> str:
    parts = [message.subject, message.body, *map(str, message.to)]
    parts += [content for content, _ in getattr(message, "alternatives", [])]
    return "\n".join(parts)
