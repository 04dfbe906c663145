"""Administrator accounts: the first one made by ``createsuperuser``, and the admin site
following a user's role when an administrator changes it (README "Security: sign-in")."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.models import User
from tests.factories import UserFactory

PASSWORD = "first-admin-Pass-2026"


def _user_form(user: User, **changes) -> dict:
    """The admin's change form of ``user`` as the browser would post it, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        # The checkboxes the page showed ticked (ignored where the form has no such field).
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "role": user.role,
        "theme": user.theme,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def first_admin(db, monkeypatch) -> User:
    """The clinic's first administrator, made the way Django makes one."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        username="head_admin",
        email="head@clinic.invalid",
        stdout=StringIO(),
    )
    return User.objects.get(username="head_admin")


def test_createsuperuser_makes_an_administrator(first_admin):
    assert first_admin.role == User.Role.ADMIN


def test_the_first_admin_is_asked_for_two_factor_before_the_admin_site(
    client, first_admin, settings
):
    settings.CLINIC_REQUIRE_2FA = True
    client.post(reverse("login"), {"username": "head_admin", "password": PASSWORD})
    response = client.get("/admin/clinic/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_an_administrator_made_in_the_admin_can_open_the_admin_site(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/clinic/user/add/",
        {
            "username": "second_admin",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "role": User.Role.ADMIN,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    second = User.objects.get(username="second_admin")
    client.logout()
    client.force_login(second)
    assert client.get("/admin/clinic/auditevent/").status_code == 200


def test_an_administrator_made_staff_leaves_the_admin_site(client, admin):
    former = UserFactory(username="former_admin", role=User.Role.ADMIN, is_staff=True)
    former.is_superuser = True
    former.save()
    client.force_login(admin)
    response = client.post(
        f"/admin/clinic/user/{former.pk}/change/", _user_form(former, role=User.Role.STAFF)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    client.force_login(User.objects.get(pk=former.pk))
    response = client.get("/admin/clinic/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db(transaction=True)
def test_upgrading_makes_an_earlier_createsuperuser_account_the_administrator():
    """Before 0005 ``createsuperuser`` gave the patient role; a neurologist could hold the
    admin site's flags. After the upgrade the role decides."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("patients", "0004_patient_mrn_any_case"), ("clinic", "0007_user_session_generation")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("clinic", "User")
    old.objects.create(username="old_head", role="patient", is_staff=True, is_superuser=True)
    old.objects.create(username="old_neuro", role="neurologist", is_staff=True, is_superuser=True)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        head = User.objects.get(username="old_head")
        neuro = User.objects.get(username="old_neuro")
        assert (head.role, head.is_staff, head.is_superuser) == ("admin", True, True)
        assert (neuro.role, neuro.is_staff, neuro.is_superuser) == ("neurologist", False, False)
    finally:
        User.objects.filter(username__in=["old_head", "old_neuro"]).delete()


def test_an_admin_edit_of_a_patients_account_keeps_it_agreeing_with_the_record(
    client, admin, patient, patient_record
):
    """A patient's name and address are corrected on the record (staff), which copies them
    to the account: an address typed into the account alone would send the resets there
    until the next edit of the record silently put the old one back."""
    User.objects.filter(pk=patient.pk).update(  # as the record's last edit left them
        first_name=patient_record.first_name,
        last_name=patient_record.last_name,
        email=patient_record.email,
    )
    patient.refresh_from_db()
    client.force_login(admin)
    client.post(
        f"/admin/clinic/user/{patient.pk}/change/",
        _user_form(patient, email="typed.in.admin@example.invalid", last_name="Typed"),
    )
    patient.refresh_from_db()
    patient_record.refresh_from_db()
    assert (patient.email, patient.last_name) == (patient_record.email, patient_record.last_name)
    page = client.get(f"/admin/clinic/user/{patient.pk}/change/").content.decode()
    assert "corrected on the patient" in page  # where to correct them instead


def test_an_admin_adds_a_clinician_without_a_password_but_with_an_address(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/clinic/user/add/",
        {
            "username": "dr_newcomer",
            "usable_password": "false",
            "role": User.Role.NEUROLOGIST,
            "first_name": "Nia",
            "last_name": "Newcomer",
            "email": "nia@clinic.invalid",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="dr_newcomer")
    assert newcomer.email == "nia@clinic.invalid"
    assert not newcomer.has_usable_password()
