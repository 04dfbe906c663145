"""Shared pieces of the form fuzzing tests: hostile values, perturbed posts, one example's
database savepoint, and the settings every fuzz test uses.

A post is a dict of field name to a string or a list of strings (a list posts the field
several times). Two kinds of post are drawn: arbitrary ones (any subset of the form's
fields and some foreign ones, each with a hostile value) and mostly-valid ones (a valid
post with one field removed, replaced, duplicated or added), so that both the parsing and
the deeper rules are reached.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

# Noon UTC; the personas' patients registered on 2024-01-01 (tests/factories.py).
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)

# FUZZ_EXAMPLES=1000 for a deeper run by hand; `make test` keeps the suite quick.
# CI explores the same examples on every run (a gate must not fail by luck); a run by
# hand draws new ones, so local runs keep finding what CI's fixed sample does not.
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "80")),
    derandomize=os.environ.get("CI", "").lower() == "true",
    deadline=None,
    database=None,  # no .hypothesis/ directory in the worktree; failures print their example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Post = dict[str, str | list[str]]

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "7\x00",
        "\x00" * 50,
        "-1",
        "-0",
        "0",
        "1e309",
        "-1e309",
        "NaN",
        "sNaN",
        "9e999999",
        "Infinity",
        "-Infinity",
        "1" + "0" * 40,
        "-" + "9" * 40,
        "0.0000000000000000001",
        "99999.999",
        "1_000",
        "0x10",
        " 5 ",
        "５",  # a fullwidth digit: int() reads it, the form must not
        "٣",  # an Arabic-Indic digit
        "2025-06-10",
        "2025-02-30",
        "0001-01-01",
        "9999-12-31",
        "-2025-01-01",
        "10/06/2025",
        "00000000-0000-0000-0000-000000000000",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%s%s%s%n",
        "{{ 7|add:7 }}",
        "\u202e\u200b\ufeff",
        "𝔇𝔶𝔰𝔱𝔬𝔫𝔦𝔞 🧠",
        "ä" * 300,
        "on",
        "true",
        "None",
        "[]",
    ]
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
HUGE = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["A", "9", "é", "\x00", "-", "🧠"]),
    st.integers(min_value=1_000, max_value=150_000),
)
# Small numbers too: row counts (formset TOTAL_FORMS), scores, units, points.
SMALL = st.integers(min_value=-3, max_value=1_100).map(str)
VALUE = st.one_of(NASTY, TEXT, NUMBER, SMALL, HUGE)
FOREIGN_KEY = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)
# A list posts the field more than once (a duplicated field).
FIELD_VALUE = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))


def arbitrary_post(names: list[str]) -> st.SearchStrategy[Post]:
    """Any subset of ``names`` (missing fields) and a few foreign keys, hostile values."""
    keys = st.sampled_from(names) | FOREIGN_KEY
    return st.dictionaries(keys, FIELD_VALUE, max_size=len(names) + 3)


@st.composite
def perturbed_post(draw, valid: Post) -> Post:
    """``valid`` with one field removed, replaced, duplicated or added (or left as it is)."""
    data: Post = dict(valid)
    operation = draw(st.sampled_from(["keep", "remove", "replace", "duplicate", "add"]))
    if operation == "keep":
        return data
    name = draw(st.sampled_from(sorted(data)))
    if operation == "remove":
        del data[name]
    elif operation == "replace":
        data[name] = draw(FIELD_VALUE)
    elif operation == "duplicate":
        first = data[name] if isinstance(data[name], str) else data[name][0]
        data[name] = [first, draw(VALUE)]
    else:
        data[draw(FOREIGN_KEY.filter(lambda key: key not in data))] = draw(VALUE)
    return data


def posts(valid: Post, extra_names: tuple[str, ...] = ()) -> st.SearchStrategy[Post]:
    """Mostly-valid posts (three in four) and arbitrary ones over the same field names."""
    names = sorted({*valid, *extra_names})
    return st.one_of(perturbed_post(valid), perturbed_post(valid), perturbed_post(valid)) | (
        arbitrary_post(names)
    )


@contextmanager
def example_savepoint() -> Iterator[None]:
    """Run one example in a savepoint that is rolled back, so examples do not see each
    other's rows (the test's own transaction, from pytest-django's ``db``, stays open)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def note_event(text: str) -> None:
    """Count outcomes in `pytest --hypothesis-show-statistics` (outside @given: nothing)."""
    if currently_in_test_context():
        event(text)


def send(client, url: str, data: Post):
    """POST ``data`` form-encoded, as a browser does; the response, or None when the body is
    over DATA_UPLOAD_MAX_MEMORY_SIZE (then Django answers 400 before any view runs)."""
    body = urlencode(data, doseq=True)
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    if len(body) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        assert response.status_code == 400, response.status_code
        note_event("status 400 (body over DATA_UPLOAD_MAX_MEMORY_SIZE)")
        return None
    assert response.status_code in (200, 302), response.status_code
    note_event(f"status {response.status_code}")
    return response


def last(value: str | list[str]) -> str:
    """The value Django's QueryDict reads for a field posted once or several times."""
    return value if isinstance(value, str) else value[-1]


def shows_errors(response) -> bool:
    """True when the page carries the error summary every form page puts at its top."""
    return 'id="error-summary"' in response.content.decode()


def send_and_find_new(client, url: str, data: Post, model) -> tuple[object, object | None]:
    """POST ``data``. A refusal (the form again, or a 400) must add no ``model`` row and,
    when a page, show its errors: ``(response, None)``. A save: ``(response, the new row)``,
    exactly one."""
    known = set(model.objects.values_list("pk", flat=True))
    response = send(client, url, data)
    if response is None or response.status_code == 200:
        assert set(model.objects.values_list("pk", flat=True)) == known
        assert response is None or shows_errors(response)
        return response, None
    (row,) = model.objects.exclude(pk__in=known)
    return response, row
