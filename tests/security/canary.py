"""The canary's tools: marker values, a site crawler, and recorders of logs and tasks.

Text markers are unique strings. Numbers cannot be unique one by one (a severity is 0-10),
so numeric markers are values no other data in the run has (units 987.63, a total of
71.37) and, for the 0-10 region severities, a sequence of eight days that is looked for
in the ways a page or message would list it ("9,1,8,2,..." and "9, 1, 8, 2, ...").
"""

from __future__ import annotations

import logging
import re
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from celery.app.task import Task
from celery.signals import before_task_publish
from django.test import Client

from tests.security.world import Markers

TEXT = {
    "diary note": "CANARY-7f3a-diary-note",
    "correction reason": "CANARY-7f3a-correction",
    "visit notes": "CANARY-7f3a-visit-notes",
    "lot number": "CANARY7F3ALOT",
    "early reason": "CANARY-7f3a-early-reason",
    "course dose": "CANARY-7f3a-dose",
    "course notes": "CANARY-7f3a-course-notes",
}
UNITS = Decimal("987.63")
DILUTION = Decimal("43.21")
ASSESSMENT_TOTAL = Decimal("71.37")
REGION_SEVERITIES = (9, 1, 8, 2, 7, 3, 10, 0)  # oldest day first


def markers() -> Markers:
    return Markers(
        diary_note=TEXT["diary note"],
        correction_reason=TEXT["correction reason"],
        region_severity=REGION_SEVERITIES[-1],
        units=UNITS,
        dilution=DILUTION,
        lot_number=TEXT["lot number"],
        visit_notes=TEXT["visit notes"],
        assessment_total=ASSESSMENT_TOTAL,
        course_dose=TEXT["course dose"],
        course_notes=TEXT["course notes"],
        early_reason=TEXT["early reason"],
    )


def _number_forms(value: Decimal) -> tuple[str, ...]:
    text = f"{value:f}"
    return (text, text.replace(".", ","))


def _sequence_forms(values) -> tuple[str, ...]:
    newest_first = tuple(reversed(values))
    forms = []
    for seq in (values, newest_first):
        forms += [",".join(map(str, seq)), ", ".join(map(str, seq))]
        forms += [",".join(f"{v}.0" for v in seq), ", ".join(f"{v}.0" for v in seq)]
    return tuple(forms)


# What to look for: marker name -> the strings that would show it.
NEEDLES: dict[str, tuple[str, ...]] = {
    **{name: (text,) for name, text in TEXT.items()},
    "units": _number_forms(UNITS),
    "dilution": _number_forms(DILUTION),
    "assessment total": _number_forms(ASSESSMENT_TOTAL),
    "region severities": _sequence_forms(REGION_SEVERITIES),
}


def found_in(text: str) -> list[str]:
    """The marker names whose strings occur in ``text``."""
    return [name for name, forms in NEEDLES.items() if any(form in text for form in forms)]


@dataclass
class Evidence:
    """Where markers were found: (source, marker names)."""

    hits: list[tuple[str, list[str]]] = field(default_factory=list)

    def look(self, source: str, text: str) -> None:
        names = found_in(text)
        if names:
            self.hits.append((source, names))


class RecordAll(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.name} {record.getMessage()}"
        if record.exc_info:
            text += " " + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@contextmanager
def all_log_lines():
    """Every log record of every logger, DEBUG and up, while the block runs."""
    handler = RecordAll()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@contextmanager
def task_messages(monkeypatch, app):
    """Run tasks at once (eagerly) and record every task's name and arguments."""
    messages: list[str] = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, *rest, **options):
        messages.append(f"{self.name} args={args!r} kwargs={kwargs!r}")
        return original(self, args, kwargs, *rest, **options)

    def published(sender=None, body=None, headers=None, **kwargs):
        messages.append(f"{sender} published body={body!r} headers={headers!r}")

    monkeypatch.setattr(Task, "apply_async", recording)
    before_task_publish.connect(published, weak=False)  # anything sent past apply_async
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield messages
    finally:
        app.conf.task_always_eager = eager
        before_task_publish.disconnect(published)


HREF = re.compile(r'href="(/[^"#]*)"')
NEVER_FOLLOW = ("/accounts/logout/", "/admin/logout/", "/static/", "/theme/")
REDIRECTS = (301, 302, 303, 307, 308)


def crawl(client: Client, start: list[str], evidence: Evidence, limit: int = 800) -> int:
    """GET ``start`` and every same-site link reachable from it; returns pages fetched.

    Redirects are followed within the site. Admin links lose their query strings (sort
    orders and filters of the same rows).
    """
    seen: set[str] = set()
    queue = deque(start)
    fetched = 0
    while queue and fetched < limit:
        path = queue.popleft().replace("&amp;", "&")
        if path.startswith("/admin/"):
            path = urlsplit(path).path
        if path in seen or path.startswith(NEVER_FOLLOW):
            continue
        seen.add(path)
        response = client.get(path)
        fetched += 1
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if response.status_code in REDIRECTS:
            location = response["Location"]
            if location.startswith("/"):
                queue.appendleft(location)
            continue
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        evidence.look(f"page {path}", text)
        queue.extend(HREF.findall(text))
    return fetched
