"""Review: "Forgot your password?" had no limit, so anyone could flood a patient's inbox
with reset emails (one per press), or walk many addresses from one connection.

Now each address gets at most ``RESET_EMAILS_PER_ADDRESS`` emails an hour: further asks
answer exactly as before (the "sent" page, whether or not the address has an account, so
nothing tells an address with an account from one without) and send nothing. One
connection may ask ``RESET_ASKS_PER_CLIENT`` times an hour, whatever the addresses; then
the form says to try again later, next to the address, and sends nothing. That answer
depends on the connection only, never on the address typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app
from clinic.password_reset import RESET_ASKS_PER_CLIENT, RESET_EMAILS_PER_ADDRESS

pytestmark = pytest.mark.django_db
PAGE = reverse("password_reset")


@pytest.fixture(autouse=True)
def tasks_run_at_once():
    original = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = original


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(email: str, address: str = "198.51.100.7"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(PAGE, {"email": email}, REMOTE_ADDR=address)

    return ask


def test_one_address_gets_a_few_emails_an_hour_and_every_answer_is_the_same(ask, patient):
    answers = [ask(patient.email) for _ in range(RESET_EMAILS_PER_ADDRESS + 3)]
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == RESET_EMAILS_PER_ADDRESS


def test_an_unknown_address_is_answered_like_a_known_one(ask, patient):
    unknown = [ask("nobody@clinic.invalid") for _ in range(RESET_EMAILS_PER_ADDRESS + 3)]
    known = [ask(patient.email) for _ in range(RESET_EMAILS_PER_ADDRESS + 3)]
    assert [(r.status_code, r["Location"]) for r in unknown] == [
        (r.status_code, r["Location"]) for r in known
    ]


def test_the_address_limit_ignores_letter_case(ask, patient):
    for n in range(RESET_EMAILS_PER_ADDRESS + 2):
        ask(patient.email.upper() if n % 2 else patient.email)
    assert len(mail.outbox) == RESET_EMAILS_PER_ADDRESS


def test_an_hour_later_the_address_gets_an_email_again(ask, patient):
    for _ in range(RESET_EMAILS_PER_ADDRESS + 1):
        ask(patient.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        ask(patient.email)
    assert len(mail.outbox) == RESET_EMAILS_PER_ADDRESS + 1


def test_one_connection_asking_for_many_addresses_is_told_to_wait(ask, patient):
    for n in range(RESET_ASKS_PER_CLIENT):
        assert ask(f"walk{n}@clinic.invalid").status_code == 302
    refused = ask(patient.email)
    assert refused.status_code == 200
    errors = refused.context["form"].errors["email"]
    assert "Too many" in " ".join(errors)
    assert len(mail.outbox) == 0
    # Another connection is not affected.
    assert ask(patient.email, address="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 1


def test_the_nightly_cleanup_forgets_asks_older_than_their_hour(ask, patient):
    from clinic.models import PasswordResetAsk
    from clinic.tasks import clear_expired_sessions

    ask(patient.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        clear_expired_sessions.apply()
    assert PasswordResetAsk.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        clear_expired_sessions.apply()
    assert PasswordResetAsk.objects.count() == 0
