"""``User.session_generation`` (clinic/models.py): only ``end_sessions_of`` changes it, so a
full save of a user loaded before it (a password change, an admin edit) never writes the old
generation back and re-opens the sessions it ended."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import update_last_login
from django.test import Client
from django.urls import reverse

from clinic.forms import PasswordChangeForm
from clinic.models import User
from clinic.two_factor import end_sessions_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
INBOX = reverse("inbox")


def signed_in(user) -> Client:
    other = Client()
    other.force_login(user)
    assert other.get(INBOX).status_code == 200
    return other


def is_ended(session: Client) -> bool:
    response = session.get(INBOX)
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def generation(user) -> int:
    return User.objects.values_list("session_generation", flat=True).get(pk=user.pk)


def test_a_stale_full_save_keeps_the_new_generation_and_the_sessions_ended(patient):
    other_session = signed_in(patient)
    stale = User.objects.get(pk=patient.pk)
    end_sessions_of(patient.pk)
    stale.first_name = "Edited"
    stale.save()

    assert generation(patient) == 1
    assert User.objects.get(pk=patient.pk).first_name == "Edited", "the other fields are saved"
    assert is_ended(other_session)
    assert stale.session_generation == 0, "the object keeps what it loaded"
    stale.refresh_from_db()
    assert stale.session_generation == 1


def test_a_password_change_racing_an_end_of_sessions_ends_the_changing_session_too(patient):
    """An admin deletes a lost phone's authenticator while that phone changes the password:
    the phone's session must not survive on a generation loaded before the deletion."""
    phone = signed_in(patient)
    save = PasswordChangeForm.save

    def save_after_an_end_of_sessions(form, *args, **kwargs):
        end_sessions_of(form.user.pk)  # between the request's load of the user and its save
        return save(form, *args, **kwargs)

    with mock.patch.object(PasswordChangeForm, "save", save_after_an_end_of_sessions):
        response = phone.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "x-Long-pass-77",
                "new_password2": "x-Long-pass-77",
            },
        )
    assert response.status_code == 302
    assert generation(patient) == 1
    assert User.objects.get(pk=patient.pk).check_password("x-Long-pass-77")
    assert is_ended(phone)


def test_a_new_user_saves_its_generation(db):
    user = User(username="fresh", session_generation=3)
    user.save()
    assert generation(user) == 3


def test_last_login_and_explicit_fields_are_saved_as_asked(patient):
    stale = User.objects.get(pk=patient.pk)
    end_sessions_of(patient.pk)
    update_last_login(None, stale)  # Django's sign-in receiver: update_fields=["last_login"]
    assert User.objects.get(pk=patient.pk).last_login == stale.last_login
    assert generation(patient) == 1
    stale.session_generation = 7
    stale.save(update_fields=["session_generation"])
    assert generation(patient) == 7


def test_a_partly_loaded_user_saves_what_it_loaded(patient, django_assert_num_queries):
    end_sessions_of(patient.pk)
    partial = User.objects.only("first_name").get(pk=patient.pk)
    partial.first_name = "Partial"
    with django_assert_num_queries(1):
        partial.save()
    assert User.objects.get(pk=patient.pk).first_name == "Partial"
    assert generation(patient) == 1
