"""Accepting an invitation: public, single use, 7 days; the patient chooses a password."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from patients.models import Invitation
from patients.services.invitations import invitation_send, invitation_token

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-phrase-42"


@pytest.fixture
def invitation(patient_record, staff):
    patient_record.user = None
    patient_record.save()
    return invitation_send(patient=patient_record, sent_by=staff)


def url(invitation_or_token) -> str:
    token = (
        invitation_or_token
        if isinstance(invitation_or_token, str)
        else invitation_token(invitation_or_token)
    )
    return reverse("patients:invitation_accept", kwargs={"token": token})


def accept(client, invitation, username="ana.silva", password=PASSWORD):
    return client.post(
        url(invitation),
        {"username": username, "new_password1": password, "new_password2": password},
    )


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "patient", "other_patient", "treating_neurologist", "staff", "admin"],
    indirect=True,
)
def test_the_page_is_public(client_for, persona, invitation):
    response = client_for(persona).get(url(invitation))
    assert response.status_code == 200
    assert "Choose your password" in response.content.decode()


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(url("0" * 64)).status_code == 404


def test_accepting_creates_the_account_links_it_and_signs_in(client, invitation):
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:today")
    user = User.objects.get(username="ana.silva")
    assert user.role == User.Role.PATIENT
    assert user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert invitation.patient.user == user
    today = client.get(reverse("patients:today"))
    assert today.status_code == 200  # signed in as the patient


def test_the_link_works_once(client, invitation):
    accept(client, invitation)
    client.logout()
    assert client.get(url(invitation)).status_code == 404
    assert accept(client, invitation, username="someone.else").status_code == 404
    assert not User.objects.filter(username="someone.else").exists()


def test_the_link_expires_after_seven_days(client, invitation):
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(url(invitation)).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(url(invitation)).status_code == 200


def test_a_revoked_link_no_longer_works(client, invitation, staff):
    newer = invitation_send(patient=invitation.patient, sent_by=staff)
    assert client.get(url(invitation)).status_code == 404
    assert client.get(url(newer)).status_code == 200


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("ana.silva", "short", "short", "too short"),
        ("ana.silva", PASSWORD, PASSWORD + "x", "didn’t match"),
        ("pat", PASSWORD, PASSWORD, "That username is taken"),
        ("bad name!", PASSWORD, PASSWORD, "Enter a valid username"),
    ],
)
def test_invalid_choices_are_explained_and_nothing_is_created(
    client, invitation, username, password, confirm, message
):
    before = User.objects.count()
    response = client.post(
        url(invitation),
        {"username": username, "new_password1": password, "new_password2": confirm},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html
    assert User.objects.count() == before
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_broken_password_rule_is_reported_under_the_password_with_the_rules(client, invitation):
    response = accept(client, invitation, password="short")
    form = response.context["form"]
    # Among the rules broken (a generated last name may also resemble "short"):
    assert any("too short" in error for error in form.errors["new_password1"])
    assert "new_password2" not in form.errors
    assert {href for href, _ in response.context["summary"]} == {"#id_new_password1"}


def test_a_missing_username_is_named_in_the_summary(client, invitation):
    response = accept(client, invitation, username="")
    assert response.context["summary"] == [("#id_username", "Username: This field is required.")]


def test_the_username_signs_in_however_its_letters_are_cased(client, invitation):
    """A username is taken whatever its case ("That username is taken"): the patient who
    chose "Ana.Silva" is the only one it can be, and typing "ana.silva" must sign them in
    rather than count as a failed sign-in towards the lockout."""
    assert accept(client, invitation, username="Ana.Silva").status_code == 302
    client.logout()
    response = client.post(
        reverse("login"), {"username": "ana.silva", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated, "refused: username and password did not match"
    assert response.context["user"].username == "Ana.Silva"


def test_correcting_the_email_address_stops_the_link_sent_to_the_old_one(
    client_for, client, invitation, staff
):
    """The link went to a mistyped address, a stranger's: once staff correct the address
    in the record, that link must no longer create the account that opens the patient's
    diary, chart and appointments to whoever holds it."""
    from tests.patients.conftest import registration_post

    record = invitation.patient
    regions = [(row.region.code, row.side) for row in record.regions.all()]
    form = registration_post(
        list(record.care_team.all()),
        regions=regions,
        medical_record_number=record.medical_record_number,
        first_name=record.first_name,
        last_name=record.last_name,
        registered_on=record.registered_on.isoformat(),
        email="the.right.address@example.invalid",
    )
    edit = reverse("patients:patient_edit", kwargs={"patient_uuid": record.uuid})
    assert client_for(staff).post(edit, form).status_code == 302
    record.refresh_from_db()
    assert record.email == "the.right.address@example.invalid"
    client.logout()
    assert client.get(url(invitation)).status_code == 404
