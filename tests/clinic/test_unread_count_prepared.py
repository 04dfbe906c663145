"""The navigation's unread count, read through a statement prepared once per role
(clinic.prepared), counts what the inbox's own query counts, at the moment it is asked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.inbox import notifications_for, unread_count
from clinic.models import EmergencyAccess, Notification, User
from clinic.prepared import prepare_count
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def orm_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def message(user, patient=None, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="cycle_alert" if patient else "appointment_booked",
        text="a message",
        patient_uuid=patient.uuid if patient else None,
        read_at=timezone.now() if read else None,
    )


def grant(neurologist, patient, *, hours: float) -> EmergencyAccess:
    now = timezone.now()
    return EmergencyAccess.objects.create(
        neurologist=neurologist,
        patient_uuid=patient.uuid,
        reason="Seen in the emergency department tonight",
        started=now - timedelta(hours=1),
        expires=now + timedelta(hours=hours),
    )


@pytest.fixture
def mailboxes(patient, patient_record, treating_neurologist, other_neurologist, staff, admin):
    """Messages of every kind to every role: about no patient, their own patient, another's
    (read and unread), and a patient seen under a live and under an expired grant."""
    stranger, granted, expired = PatientFactory(), PatientFactory(), PatientFactory()
    grant(other_neurologist, granted, hours=2)
    grant(other_neurologist, expired, hours=-0.5)
    people = (patient, treating_neurologist, other_neurologist, staff, admin)
    for user in people:
        for about in (None, patient_record, stranger, granted, expired):
            message(user, about)
            message(user, about, read=True)
    return people


def test_the_count_is_the_inbox_querys_for_every_role(mailboxes):
    for user in mailboxes:
        assert unread_count(user) == orm_count(user), user.role
    counts = {user.role: unread_count(user) for user in mailboxes}
    assert counts[User.Role.STAFF] == 1  # only the message about no patient


def test_a_grant_counts_while_it_is_live(mailboxes, other_neurologist):
    before = unread_count(other_neurologist)
    assert before == 2  # no patient, and the granted one (not the expired grant's)
    EmergencyAccess.objects.filter(neurologist=other_neurologist).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    assert unread_count(other_neurologist) == orm_count(other_neurologist) == 1


def test_the_count_follows_a_message_read_or_arriving(patient):
    first = message(patient)
    assert unread_count(patient) == 1
    message(patient)
    assert unread_count(patient) == 2
    first.read_at = timezone.now()
    first.save()
    assert unread_count(patient) == 1


def test_an_inactive_user_is_counted_by_their_own_scope(treating_neurologist, patient_record):
    message(treating_neurologist, patient_record)
    message(treating_neurologist)
    treating_neurologist.is_active = False
    assert unread_count(treating_neurologist) == orm_count(treating_neurologist) == 1


def test_the_count_is_one_query(treating_neurologist):
    with CaptureQueriesContext(connection) as captured:
        unread_count(treating_neurologist)
    assert len(captured) == 1


def test_a_query_reading_the_clock_itself_is_refused():
    def reads_the_clock(pk: int, now):
        return Notification.objects.filter(recipient_id=pk, created__lt=timezone.now())

    stand_ins = ((-1, timezone.now()), (-2, timezone.now() + timedelta(days=1)))
    with pytest.raises(ImproperlyConfigured):
        prepare_count(
            reads_the_clock, stand_ins, (int, connection.ops.adapt_datetimefield_value), "default"
        )


def test_a_neurologist_is_not_counted_messages_about_their_own_record(
    treating_neurologist, other_neurologist, catalogs
):
    # Merge review: the care-team rules exclude a neurologist's own record (the same email
    # address) from what their clinician account sees. The prepared statement is kept per
    # role, and was built for a stand-in with no address: a neurologist's own record, on
    # their care team from before the rule or under a grant, was still counted.
    own = PatientFactory(email=treating_neurologist.email.upper(), care_team=[treating_neurologist])
    colleague_record = PatientFactory(care_team=[treating_neurologist, other_neurologist])
    grant(treating_neurologist, own, hours=2)
    for user in (treating_neurologist, other_neurologist):
        message(user, own)
        message(user, colleague_record)
    assert orm_count(treating_neurologist) == 1  # the colleague's record only
    assert unread_count(other_neurologist) == orm_count(other_neurologist) == 1
    assert unread_count(treating_neurologist) == 1
