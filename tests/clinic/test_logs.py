"""Tracebacks in the log carry no exception text (it can hold health data)."""

from __future__ import annotations

import copy
import logging
import logging.config

from django.conf import settings
from django.db import IntegrityError

from clinic.logs import NoExceptionTextFilter, NoExceptionTextFormatter, exception_without_text

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


def _clinic_handler(stream) -> logging.Handler:
    """The console handler of the clinic's LOGGING, writing to ``stream``."""
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = stream
    config["root"] = {"handlers": []}
    configurator = logging.config.DictConfigurator(config)
    configurator.configure()
    return configurator.config["handlers"]["console"]


def test_a_failing_celery_task_is_logged_without_its_text_or_arguments():
    import io

    from celery import Celery

    app = Celery("log-test", set_as_current=False)

    @app.task(name="log_test.fails")
    def fails(name: str) -> None:
        raise ValueError(f"Could not save {name}'s diary for {DAY}")

    stream = io.StringIO()
    handler = _clinic_handler(stream)
    trace_logger = logging.getLogger("celery.app.trace")
    trace_logger.addHandler(handler)
    try:
        fails.apply(args=(NAME,))
    finally:
        trace_logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Task log_test.fails[" in text  # the failure is logged: task and id
    assert "builtins.ValueError (text withheld)" in text
    for secret in (NAME, DAY):
        assert secret not in text


def test_an_exception_passed_as_an_argument_is_written_as_its_type():
    import io

    stream = io.StringIO()
    handler = _clinic_handler(stream)
    logger = logging.getLogger("tests.log_arguments")
    logger.addHandler(handler)
    try:
        logger.error("handler raised: %r", ValueError(f"{NAME} {DAY}"))
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().strip().endswith("handler raised: builtins.ValueError (text withheld)")


def test_celery_worker_and_beat_log_through_the_clinics_configuration():
    from celery.signals import setup_logging

    from clinic.celery import use_the_clinics_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        answers = setup_logging.send(sender=None, loglevel=logging.INFO, logfile=None)
        assert use_the_clinics_logging in [receiver for receiver, _ in answers]
        (handler,) = root.handlers
        assert isinstance(handler.formatter, NoExceptionTextFormatter)
        assert any(isinstance(f, NoExceptionTextFilter) for f in handler.filters)
    finally:
        root.handlers[:], root.level = saved
