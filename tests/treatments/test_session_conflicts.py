"""Follow-up sessions after the review's fixes: an early reason counts for the "not before"
date it was given against, a booking before a joining product's minimum is counted in the
staff digest, a reopened booking's notice is never sent twice, and migration 0008 ranks
its rows as the sync does."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from tests.treatments.followup_data import at, long_minimum
from treatments.models import FollowUp
from treatments.selectors import followups as selectors
from treatments.services import followups as services
from treatments.services.followup_sync import followup_windows

pytestmark = pytest.mark.django_db
Status = FollowUp.Status
Kind = FollowUp.Kind
merge_0008 = importlib.import_module(
    "treatments.migrations.0008_merge_session_followup_duplicates"
).merge


def detail(client, user, followup: FollowUp) -> str:
    client.force_login(user)
    url = reverse("treatments:followup_detail", kwargs={"followup_uuid": followup.uuid})
    return client.get(url).content.decode()


def test_a_reason_given_before_a_product_joined_asks_for_a_new_one_and_keeps_the_old(
    client, patient_record, staff, treating_neurologist
):
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_approve_early(
        followup=reinjection, neurologist=treating_neurologist, reason="Severe pain at 10 weeks"
    )
    reinjection.refresh_from_db()
    assert reinjection.early_approved_for == day + timedelta(weeks=12)
    data.visit(patient_record, on=day, toxin=long_minimum())
    page = detail(client, treating_neurologist, reinjection)
    assert "before Longmin was added to the session" in page
    assert "a new reason is needed" in page
    assert "Severe pain at 10 weeks" in page  # the old reason stays on record
    assert "Earlier allowed by" not in page

    services.followup_approve_early(
        followup=reinjection, neurologist=treating_neurologist, reason="Still severe at 10 weeks"
    )
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(70)), actor=staff
    )
    page = detail(client, treating_neurologist, reinjection)
    assert "Earlier allowed by" in page and "a new reason is needed" not in page
    assert not selectors.booked_before_minimum(reinjection)


def test_a_reason_stored_before_its_date_was_recorded_still_counts(
    patient_record, staff, treating_neurologist
):
    """Existing approvals (no ``early_approved_for``) keep counting: the owner's decision."""
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    data.visit(patient_record, on=day, toxin=long_minimum())
    FollowUp.objects.filter(pk=reinjection.pk).update(
        early_reason="Severe pain", early_approved_by=treating_neurologist
    )
    booked = services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(70)), actor=staff
    )
    assert booked.status == Status.SCHEDULED
    assert not selectors.booked_before_minimum(booked)


def test_the_staff_digest_counts_reinjections_booked_before_the_minimum(patient_record, staff):
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(91)), actor=staff
    )
    now = at(timezone.localdate(), hour=8)
    assert all("booked before" not in item.text for item in services.staff_digests(now))
    data.visit(patient_record, on=day, toxin=long_minimum())
    texts = [item.text for item in services.staff_digests(now)]
    assert texts and all("1 reinjections booked before the minimum interval" in t for t in texts)


def test_a_reopened_booking_whose_notice_was_sent_is_not_announced_again(
    patient_record, staff, published
):
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(day + timedelta(120)), actor=staff
    )
    notices = Delivery.objects.filter(
        kind=notify.APPOINTMENT_BOOKED, key__startswith=f"{reinjection.uuid}@"
    )
    for notice in notices:  # really sent: the inbox entry written (not only a stamp)
        assert notify.deliver(notice.pk)
    second = data.visit(patient_record, on=day + timedelta(1), toxin=long_minimum())
    previous, second.date = second.date, day
    second.save()
    services.followups_sync_for_visit(visit=second, moved_from=previous)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED
    assert notices.count() == 1 and not notices.filter(sent_at__isnull=True).exists()


def test_migration_0008_keeps_a_missed_reinjection_and_merges_the_due_one(patient_record):
    """Old data: the first-created reinjection is due, the other visit's was booked and
    missed. Ranked as the sync ranks, the missed one stays owed and the due one is merged."""
    day = timezone.localdate() - timedelta(120)
    first = data.visit(patient_record, on=day, sync=False)
    second = data.visit(patient_record, on=day, toxin=long_minimum(), sync=False)
    rows = {}
    for visit in (first, second):
        window = followup_windows(visit)[Kind.REINJECTION]
        rows[visit.pk] = FollowUp.objects.create(
            patient=patient_record,
            source_visit=visit,
            kind=Kind.REINJECTION,
            due_from=window.due_from,
            due_until=window.due_until,
        )
    FollowUp.objects.filter(pk=rows[second.pk].pk).update(
        status=Status.MISSED, scheduled_at=at(day + timedelta(113))
    )
    merge_0008(django_apps, None)
    owed = FollowUp.objects.filter(selectors.STILL_OWED, patient=patient_record)
    assert list(owed.values_list("pk", flat=True)) == [rows[second.pk].pk]
