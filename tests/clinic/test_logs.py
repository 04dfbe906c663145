"""Tracebacks in the log carry no exception text (it can hold health data)."""

from __future__ import annotations

import copy
import logging
import logging.config

from django.conf import settings
from django.db import IntegrityError

from clinic.logs import NoExceptionTextFormatter, exception_without_text

DETAIL = "DETAIL:  Key (patient_id, date)=(7, 2026-03-02) already exists."
NAME, DAY = "Jane Example", "2026-03-02"  # source lines in a traceback show names, not values


def _failing_save() -> None:
    raise IntegrityError(f"duplicate key value violates unique constraint\n{DETAIL}")


def _record_of_a_failure() -> logging.LogRecord:
    try:
        try:
            _failing_save()
        except IntegrityError as error:
            raise ValueError(f"Could not save {NAME}'s diary for {DAY}") from error
    except ValueError:
        import sys

        return logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/today/",),
            sys.exc_info(),
        )


def test_a_traceback_keeps_frames_and_types_but_no_text():
    record = _record_of_a_failure()
    text = NoExceptionTextFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "Internal Server Error: /today/" in text
    assert "_failing_save" in text  # the frames are kept, the innermost too
    assert "django.db.utils.IntegrityError (text withheld)" in text
    assert "builtins.ValueError (text withheld)" in text
    for secret in ("2026-03-02", "patient_id", "Jane Example"):
        assert secret not in text


def test_the_clinics_log_format_is_the_one_without_text():
    config = copy.deepcopy(settings.LOGGING)
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(config["formatters"]["plain"])
    assert isinstance(formatter, NoExceptionTextFormatter)
    assert "2026-03-02" not in formatter.format(_record_of_a_failure())


def test_a_suppressed_context_is_not_written():
    try:
        try:
            _failing_save()
        except IntegrityError:
            raise RuntimeError("retry later") from None
    except RuntimeError as error:
        text = exception_without_text(error)
    assert "IntegrityError" not in text
    assert "RuntimeError (text withheld)" in text
