"""Review: a neurologist's account that never signed in has no audit event to protect it,
so an admin could delete it; the deletion silently took them off their patients' care
teams (leaving a patient with no neurologist and no trace of who it was). A switched-off
account, by contrast, stays on the care team, named "(account switched off)", until staff
choose another neurologist. Now an account on a care team cannot be deleted, in the admin
(its delete page names the reason, no patient) or anywhere else: the admin switches it
off instead. An account on no care team (made by mistake) can still be deleted."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from clinic.models import User
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_neurologist(db) -> User:
    return UserFactory(username="dr_never_signed_in", role=User.Role.NEUROLOGIST)


def test_the_admin_cannot_delete_a_care_team_member(client, admin, catalogs, new_neurologist):
    record = PatientFactory(care_team=[new_neurologist])
    client.force_login(admin)
    url = reverse("admin:clinic_user_delete", args=[new_neurologist.pk])
    page = client.get(url)
    assert "switch the account off" in page.text
    assert record.last_name not in page.text
    client.post(url, {"post": "yes"})
    assert User.objects.filter(pk=new_neurologist.pk).exists()
    assert list(record.care_team.all()) == [new_neurologist]


def test_deleting_a_care_team_member_elsewhere_is_refused(catalogs, new_neurologist):
    record = PatientFactory(care_team=[new_neurologist])
    with pytest.raises(ProtectedError), transaction.atomic():
        new_neurologist.delete()
    assert list(record.care_team.all()) == [new_neurologist]


def test_an_account_on_no_care_team_can_be_deleted(client, admin, new_neurologist):
    client.force_login(admin)
    url = reverse("admin:clinic_user_delete", args=[new_neurologist.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=new_neurologist.pk).exists()
