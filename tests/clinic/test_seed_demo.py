from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clinic.models import User
from patients.models import Patient
from treatments.demo import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def development(settings):
    """The demo clinic is for development (``make run``: DJANGO_DEBUG=1)."""
    settings.DEBUG = True


def snapshot() -> tuple:
    users = tuple(User.objects.order_by("username").values_list("username", "role", "password"))
    patients = tuple(
        Patient.objects.order_by("medical_record_number").values_list(
            "medical_record_number", "updated"
        )
    )
    return users, patients


def test_seed_demo_creates_one_user_per_role_and_prints_the_password(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"patient", "neurologist", "staff", "admin"}
    assert Patient.objects.count() >= 5
    assert DEMO_PASSWORD in out.getvalue()
    assert (
        User.objects.get(username="patient")
        .patient.care_team.filter(username="neurologist")
        .exists()
    )


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def test_seed_demo_refuses_a_production_database(db, settings):
    """Run by mistake against the clinic's database (`docker compose run web python manage.py
    seed_demo`), it made an administrator whose password README publishes: whoever signed
    in first set up the two-factor device and held the admin site."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
