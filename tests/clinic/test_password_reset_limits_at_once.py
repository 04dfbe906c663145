"""Review: the per-connection limit of "Forgot your password?" counted the connection's
asks when the form was checked and recorded the ask only when it was saved, as two steps:
two asks sent at once from a connection one short of its limit were both counted short of
it and both went through (and with many at once, any number). Now counting and recording
an ask is one step (a transaction that holds the connection's lock), so the second of two
asks at once counts the first and is told to wait.

The test makes the two overlap for certain: the first ask stops right after it counted,
and goes on once the second has finished, or, when the second cannot finish because the
first holds the lock, after ``SECOND_MAY_FINISH_SECONDS`` (the answer does not depend on
it: the second then counts after the first)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import PasswordResetAsk
from clinic.password_reset import RESET_ASKS_PER_CLIENT

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = reverse("password_reset")
ADDRESS = "198.51.100.7"
SECOND_MAY_FINISH_SECONDS = 3


def _stop_after_counting(paused: threading.Event, may_go: threading.Event):
    """An execute wrapper: after the first count of reset asks, say so and wait."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        counts_asks = "COUNT(" in sql.upper() and "passwordresetask" in sql.lower()
        if counts_asks and not paused.is_set():
            paused.set()
            may_go.wait(SECOND_MAY_FINISH_SECONDS)
        return result

    return wrapper


def test_two_asks_at_once_at_the_limit_let_one_through():
    # Addresses of nobody: no email is enqueued, only the asks are counted.
    now = timezone.now()
    PasswordResetAsk.objects.bulk_create(
        PasswordResetAsk(address_digest=f"earlier{n}", client_address=ADDRESS, created=now)
        for n in range(RESET_ASKS_PER_CLIENT - 1)
    )
    first_counted, second_finished = threading.Event(), threading.Event()
    answers: dict[str, int] = {}
    errors: list[BaseException] = []

    def ask(name: str, email: str) -> None:
        try:
            if name == "first":
                hook = _stop_after_counting(first_counted, second_finished)
                with connection.execute_wrapper(hook):
                    answer = Client().post(PAGE, {"email": email}, REMOTE_ADDR=ADDRESS)
            else:
                answer = Client().post(PAGE, {"email": email}, REMOTE_ADDR=ADDRESS)
            answers[name] = answer.status_code
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            if name == "second":
                second_finished.set()
            connections.close_all()

    first = threading.Thread(target=ask, args=("first", "one@clinic.invalid"))
    first.start()
    assert first_counted.wait(30)
    second = threading.Thread(target=ask, args=("second", "two@clinic.invalid"))
    second.start()
    first.join()
    second.join()

    assert errors == []
    assert sorted(answers.values()) == [200, 302]  # one sent, one told to wait
    assert PasswordResetAsk.objects.filter(client_address=ADDRESS).count() == (
        RESET_ASKS_PER_CLIENT
    )
