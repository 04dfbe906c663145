"""The notification scan: diary and appointment reminders, staff digest, cycle alerts.

Publishing is replaced by a recorder here (the real worker path is in tests/integration/).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from tests.factories import UserFactory
from tests.treatments import followup_data as data
from treatments.models import CycleSummary
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
EVENING = datetime(2026, 3, 10, 19, 5, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def frozen():
    with time_machine.travel(EVENING, tick=False) as traveller:
        yield traveller


def scan() -> dict[str, int]:
    return services.notifications_scan(now=timezone.now())


def kinds_for(user) -> list[str]:
    return list(Delivery.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_due_diary_reminder_is_recorded_once_and_published(frozen, published, patient):
    first = scan()
    second = scan()
    delivery = Delivery.objects.get(recipient=patient, kind=notify.DIARY_REMINDER)
    assert delivery.key == "2026-03-10"
    assert (first["recorded"], second["recorded"]) == (1, 0)
    # Published once; the second scan leaves a recently published delivery alone.
    assert published == [delivery.pk]


def test_the_diary_reminder_names_its_day_and_no_health_data(frozen, published, patient):
    """Read later in the inbox, each reminder still says which day it asked about."""
    scan()
    delivery = Delivery.objects.get(recipient=patient, kind=notify.DIARY_REMINDER)
    assert delivery.text == (
        "Time for your diary for Tuesday 10 March 2026: a minute to note how the day went."
    )


def test_the_diary_reminder_waits_for_the_patients_local_time(frozen, published, patient_record):
    patient_record.time_zone = "America/New_York"  # 14:05 there
    patient_record.save()
    scan()
    assert not Delivery.objects.exists()
    frozen.shift(timedelta(hours=5))
    scan()
    assert Delivery.objects.get().key == "2026-03-10"


def test_a_waiting_diary_reminder_is_sent_while_its_day_is_open(
    frozen, published, patient, patient_record
):
    scan()
    assert notify.deliver(Delivery.objects.get(kind=notify.DIARY_REMINDER).pk) is True
    assert Notification.objects.filter(recipient=patient, kind=notify.DIARY_REMINDER).exists()


def test_a_waiting_diary_reminder_is_dropped_once_the_day_is_logged(
    frozen, published, patient, patient_record, mailoutbox
):
    from patients.models import DiaryEntry

    scan()
    delivery = Delivery.objects.get(kind=notify.DIARY_REMINDER)
    DiaryEntry.objects.create(
        patient=patient_record, date=date(2026, 3, 10), severity=4, pain=2, interference=3
    )
    assert notify.deliver(delivery.pk) is False
    assert not Notification.objects.filter(kind=notify.DIARY_REMINDER).exists()
    assert mailoutbox == []


def test_yesterdays_waiting_diary_reminder_is_not_sent_today(
    frozen, published, patient, patient_record
):
    scan()
    delivery = Delivery.objects.get(kind=notify.DIARY_REMINDER)
    frozen.shift(timedelta(hours=14))  # 09:05 the next morning, the broker back
    scan()
    assert notify.deliver(delivery.pk) is False
    assert not Notification.objects.filter(kind=notify.DIARY_REMINDER).exists()


def test_an_appointment_gets_a_reminder_48_hours_before(
    frozen, published, patient_record, other_patient_record, staff
):
    soon = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    later = data.review_of(data.visit(other_patient_record, on=date(2026, 2, 10)))
    services.followup_schedule(
        followup=soon, scheduled_at=EVENING + timedelta(hours=49), actor=staff
    )
    services.followup_schedule(
        followup=later, scheduled_at=EVENING + timedelta(hours=51), actor=staff
    )
    frozen.shift(timedelta(hours=2))  # 47 and 49 hours ahead
    scan()
    reminders = Delivery.objects.filter(kind=notify.APPOINTMENT_REMINDER)
    assert [d.key.split("@")[0] for d in reminders] == [str(soon.uuid)]
    assert "Reminder: your review call on Thursday 12 March 2026 at 20:05" in reminders.get().text
    # Once sent, the follow-up records when.
    notify.deliver(reminders.get().pk)
    scan()
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert later.reminder_sent_at is None


def _booked_and_reminded(frozen, patient_record, staff):
    """Booked 50 hours ahead; the reminder is recorded 40 hours before."""
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    services.followup_schedule(
        followup=review, scheduled_at=EVENING + timedelta(hours=50), actor=staff
    )
    frozen.shift(timedelta(hours=10))
    scan()
    return review, Delivery.objects.get(kind=notify.APPOINTMENT_REMINDER)


def test_a_reminder_held_up_past_the_appointment_is_not_sent(
    frozen, published, patient, patient_record, staff, mailoutbox
):
    _, reminder = _booked_and_reminded(frozen, patient_record, staff)
    frozen.shift(timedelta(hours=41))  # the broker was down; the visit has begun
    assert notify.deliver(reminder.pk) is False
    assert not Notification.objects.filter(kind=notify.APPOINTMENT_REMINDER).exists()
    assert mailoutbox == []


def test_a_waiting_reminder_goes_out_while_its_booking_stands(
    frozen, published, patient, patient_record, staff
):
    _, reminder = _booked_and_reminded(frozen, patient_record, staff)
    frozen.shift(timedelta(hours=2))
    assert notify.deliver(reminder.pk) is True
    assert Notification.objects.filter(recipient=patient, kind=notify.APPOINTMENT_REMINDER)


def test_a_waiting_reminder_of_a_booking_closed_since_is_not_sent(
    frozen, published, patient, patient_record, staff
):
    review, reminder = _booked_and_reminded(frozen, patient_record, staff)
    review.status = "done"  # closed without the service (e.g. by a later visit's sync)
    review.save(update_fields=["status"])
    assert notify.deliver(reminder.pk) is False


def test_a_cancelled_appointment_is_not_reminded(frozen, published, patient_record, staff):
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    services.followup_schedule(
        followup=review, scheduled_at=EVENING + timedelta(hours=50), actor=staff
    )
    services.followup_set_status(followup=review, status="cancelled", reason="ill", actor=staff)
    frozen.shift(timedelta(hours=5))
    scan()
    assert not Delivery.objects.filter(kind=notify.APPOINTMENT_REMINDER).exists()


def test_staff_get_a_morning_digest_of_overdue_and_unbooked(
    published, patient_record, other_patient_record, staff
):
    # Review 16 Feb..2 Mar: overdue on 10 March; reinjection from 13 April: later.
    data.visit(patient_record, on=date(2026, 1, 19))
    # Review 13..27 Jan: overdue; reinjection 10..24 March: due this week, not booked.
    data.visit(other_patient_record, on=date(2025, 12, 16))
    second_staff = UserFactory(role="staff")
    UserFactory(role="staff", is_active=False)
    with time_machine.travel(datetime(2026, 3, 10, 6, 59, tzinfo=UTC), tick=False):
        scan()
    assert not Delivery.objects.filter(kind=notify.STAFF_DIGEST).exists()
    with time_machine.travel(datetime(2026, 3, 10, 7, 1, tzinfo=UTC), tick=False):
        scan()
        scan()
    digests = Delivery.objects.filter(kind=notify.STAFF_DIGEST)
    assert {d.recipient for d in digests} == {staff, second_staff}
    assert {d.text for d in digests} == {
        "Follow-ups: 2 overdue, 1 due this week and not yet booked."
    }


def test_the_digest_counts_missed_reinjections_to_rebook(published, patient_record, staff):
    from treatments.models import FollowUp

    reinjection = data.reinjection_of(data.visit(patient_record, on=date(2025, 12, 16)))
    FollowUp.objects.filter(pk=reinjection.pk).update(status="missed")  # no later visit
    with time_machine.travel(datetime(2026, 3, 10, 7, 1, tzinfo=UTC), tick=False):
        scan()
    (digest,) = Delivery.objects.filter(kind=notify.STAFF_DIGEST)
    assert digest.text == (
        "Follow-ups: 1 overdue, 0 due this week and not yet booked, "
        "1 missed reinjections to rebook."
    )


def test_once_every_staff_member_has_the_days_digest_the_scan_counts_nothing(
    published, patient_record, staff, django_assert_num_queries
):
    """The scan runs every minute: after the digest went to each, one query answers; a
    staff member who joins later that day still gets it."""
    data.visit(patient_record, on=date(2026, 1, 19))  # its review is overdue on 10 March
    with time_machine.travel(datetime(2026, 3, 10, 7, 1, tzinfo=UTC), tick=False):
        scan()
        assert kinds_for(staff) == [notify.STAFF_DIGEST]
        with django_assert_num_queries(1):
            assert services.staff_digests(timezone.now()) == []
        newcomer = UserFactory(role="staff")
        (late,) = services.staff_digests(timezone.now())
    assert late.recipient_id == newcomer.pk


def test_no_digest_when_nothing_waits(frozen, published, staff):
    scan()
    assert kinds_for(staff) == []


def cycle(patient, verdict: str, end: date) -> CycleSummary:
    return CycleSummary.objects.create(
        patient=patient,
        injection_date=end - timedelta(days=60),
        end_date=end,
        coverage=0.8,
        verdict=verdict,
        computed_at=timezone.now(),
    )


@pytest.mark.parametrize("verdict", ["early_wear_off", "no_response"])
def test_the_care_team_is_alerted_once_per_cycle_and_verdict(
    frozen, published, patient_record, treating_neurologist, other_neurologist, verdict
):
    cycle(patient_record, verdict, date(2026, 3, 10))
    scan()
    scan()
    alerts = Delivery.objects.filter(kind=notify.CYCLE_ALERT)
    assert [a.recipient for a in alerts] == [treating_neurologist]
    assert alerts.get().key.endswith(f":{verdict}")


def test_an_alert_waiting_to_go_out_is_dropped_when_its_neurologist_left_the_care_team(
    frozen, published, patient_record, treating_neurologist, mailoutbox
):
    cycle(patient_record, "early_wear_off", date(2026, 3, 10))
    scan()
    delivery = Delivery.objects.get(kind=notify.CYCLE_ALERT, recipient=treating_neurologist)
    patient_record.care_team.remove(treating_neurologist)
    assert notify.deliver(delivery.pk) is False
    assert not Notification.objects.filter(recipient=treating_neurologist).exists()
    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.sent_at is not None  # closed, not retried


def test_a_sent_alert_leaves_the_inbox_of_a_neurologist_taken_off_the_care_team(
    frozen, published, client, patient_record, treating_neurologist
):
    cycle(patient_record, "early_wear_off", date(2026, 3, 10))
    scan()
    delivery = Delivery.objects.get(kind=notify.CYCLE_ALERT, recipient=treating_neurologist)
    assert notify.deliver(delivery.pk) is True
    alert = Notification.objects.get(recipient=treating_neurologist, kind=notify.CYCLE_ALERT)
    assert alert.patient_uuid == patient_record.uuid
    client.force_login(treating_neurologist)
    assert patient_record.full_name in client.get(reverse("inbox")).content.decode()
    patient_record.care_team.remove(treating_neurologist)
    assert patient_record.full_name not in client.get(reverse("inbox")).content.decode()
    assert Notification.objects.filter(pk=alert.pk).exists()  # the record of what was sent


def test_a_care_team_member_who_is_no_longer_a_neurologist_gets_no_alert(
    frozen, published, patient_record, treating_neurologist
):
    cycle(patient_record, "early_wear_off", date(2026, 3, 10))
    scan()
    delivery = Delivery.objects.get(kind=notify.CYCLE_ALERT, recipient=treating_neurologist)
    treating_neurologist.role = treating_neurologist.Role.STAFF  # changed in the admin
    treating_neurologist.save()
    assert notify.deliver(delivery.pk) is False  # the one waiting is not sent
    Delivery.objects.all().delete()
    scan()
    assert not Delivery.objects.filter(kind=notify.CYCLE_ALERT).exists()  # none is queued


def test_a_care_team_member_whose_account_is_switched_off_gets_no_alert(
    frozen, published, patient_record, treating_neurologist, mailoutbox
):
    """Review (a neurologist who left the clinic stays on the care team until staff choose
    another): neither the alert waiting for them nor a new one goes out."""
    cycle(patient_record, "early_wear_off", date(2026, 3, 10))
    scan()
    delivery = Delivery.objects.get(kind=notify.CYCLE_ALERT, recipient=treating_neurologist)
    treating_neurologist.is_active = False  # switched off in the admin
    treating_neurologist.save()
    assert notify.deliver(delivery.pk) is False
    assert mailoutbox == []
    Delivery.objects.all().delete()
    scan()
    assert not Delivery.objects.filter(kind=notify.CYCLE_ALERT).exists()


def test_no_alert_for_expected_or_old_cycles(frozen, published, patient_record):
    cycle(patient_record, "as_expected", date(2026, 3, 10))
    cycle(patient_record, "early_wear_off", date(2025, 12, 1))
    scan()
    assert not Delivery.objects.filter(kind=notify.CYCLE_ALERT).exists()


def test_a_deliverys_task_lost_long_ago_is_published_again(frozen, published, patient):
    scan()
    assert len(published) == 1
    frozen.shift(notify.RETRY_AFTER - timedelta(minutes=1))
    scan()
    assert len(published) == 1
    frozen.shift(timedelta(minutes=2))
    scan()
    assert len(published) == 2
    notify.deliver(published[0])
    frozen.shift(notify.RETRY_AFTER + timedelta(minutes=1))
    scan()
    assert len(published) == 2


def test_emails_beside_the_inbox_hold_no_health_data(
    frozen, published, patient_record, patient, treating_neurologist, mailoutbox
):
    cycle(patient_record, "early_wear_off", date(2026, 3, 10))
    scan()
    for delivery_id in list(published):
        assert notify.deliver(delivery_id) is True
    alert = Notification.objects.get(recipient=treating_neurologist, kind=notify.CYCLE_ALERT)
    assert patient_record.full_name in alert.text  # in the app, behind the sign-in
    assert Notification.objects.filter(recipient=patient, kind=notify.DIARY_REMINDER).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [patient.email, treating_neurologist.email]
    )
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}".lower()
        assert "/accounts/login/?next=/inbox/" in text
        for word in ("diary", "wear", "response", "reinjection", "review"):
            assert word not in text
        assert patient_record.last_name.lower() not in text


def test_an_unknown_time_zone_is_skipped(frozen, published, patient_record):
    patient_record.time_zone = "Mars/Olympus_Mons"
    patient_record.save()
    assert scan()["recorded"] == 0


def test_booked_follow_ups_keep_their_time_in_the_patients_zone(patient_record, staff):
    patient_record.time_zone = "Europe/Berlin"
    patient_record.save()
    review = data.review_of(data.visit(patient_record, on=timezone.localdate()))
    moment = timezone.make_aware(datetime.combine(review.due_from, time(9, 30)))
    services.followup_schedule(followup=review, scheduled_at=moment, actor=staff)
    text = Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED).text
    local = moment.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"at {local:%H:%M}" in text
