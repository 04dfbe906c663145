"""The own password change (/accounts/password/, clinic/account.py): every error in the summary
at the top and next to its field; a broken password rule under "New password", where the
rules are listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("password_change")
NEW = "a-new-long-passphrase-42"


def change(client, old: str = PASSWORD, new1: str = NEW, new2: str = NEW):
    return client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2})


def test_the_form_starts_on_the_old_password(client, patient):
    client.force_login(patient)
    html = client.get(URL).content.decode()
    assert 'id="error-summary"' not in html
    assert "autofocus" in html


def test_a_valid_change_goes_to_the_done_page(client, patient):
    client.force_login(patient)
    response = change(client)
    assert response["Location"] == reverse("password_change_done")
    patient.refresh_from_db()
    assert patient.check_password(NEW)


@pytest.mark.parametrize(
    ("new1", "new2", "message"),
    [
        ("short", "short", "This password is too short"),
        ("1234567890123", "1234567890123", "This password is entirely numeric"),
        ("password123", "password123", "This password is too common"),
    ],
)
def test_a_broken_password_rule_is_reported_under_new_password(
    client, patient, new1, new2, message
):
    client.force_login(patient)
    response = change(client, new1=new1, new2=new2)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors["new_password1"])
    assert "new_password2" not in form.errors
    summary = response.context["summary"]
    assert {href for href, _ in summary} == {"#id_new_password1"}
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_mismatch_is_reported_under_the_confirmation(client, patient):
    client.force_login(patient)
    form = change(client, new2=NEW + "x").context["form"]
    assert list(form.errors) == ["new_password2"]
    assert "didn’t match" in form.errors["new_password2"][0]


@pytest.mark.parametrize(
    "data",
    [
        {"old": "not-my-password"},
        {"new1": "short", "new2": "short"},
        {"new1": "", "new2": ""},
    ],
    ids=["wrong_old_password", "broken_rule", "empty"],
)
def test_errors_get_the_summary_its_script_and_no_autofocus(client, patient, data):
    client.force_login(patient)
    html = change(client, **data).content.decode()
    assert 'id="error-summary"' in html
    assert "js/error-summary.js" in html
    # The script focuses the summary; an autofocused field would take the focus back.
    assert "autofocus" not in html
