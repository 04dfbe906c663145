"""The clinic's entries in django_celery_beat's table, kept to the beat schedule.

django_celery_beat writes each entry of the schedule (``clinic.celery.BEAT_SCHEDULE``) to
its PeriodicTask table at beat's start, but never removes one: an entry taken out of the
schedule would keep firing from the table. So each entry of the schedule carries the
description ``CLINIC_ENTRY``, and at beat's start (``ClinicScheduler``) and after every
``migrate`` the rows carrying it whose name is no longer in the schedule are deleted.

A row an administrator added by hand (Administration → Periodic tasks) has a description
of their own (or none) and is never touched. One they want kept under the name of a
retired clinic entry: give it another description.
"""

from __future__ import annotations

from collections.abc import Iterable

from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler

CLINIC_ENTRY = "The clinic's beat schedule (clinic/celery.py); removed when taken out of it."


def retire_removed_entries(schedule_names: Iterable[str]) -> list[str]:
    """Delete the clinic's rows (``CLINIC_ENTRY``) not named in ``schedule_names``; the
    names deleted. Beat, if running, reads its schedule again."""
    names = set(schedule_names)
    retired = PeriodicTask.objects.filter(description=CLINIC_ENTRY).exclude(name__in=names)
    gone = sorted(retired.values_list("name", flat=True))
    if gone:
        PeriodicTask.objects.filter(name__in=gone).delete()
        PeriodicTasks.update_changed()
    return gone


def mark_clinic_entries(schedule_names: Iterable[str]) -> None:
    """Write ``CLINIC_ENTRY`` on the rows of the schedule's entries (``update``: no change
    to their due times, and beat need not reload)."""
    PeriodicTask.objects.filter(name__in=set(schedule_names)).exclude(
        description=CLINIC_ENTRY
    ).update(description=CLINIC_ENTRY)


def keep_to_schedule(schedule_names: Iterable[str]) -> list[str]:
    """Mark the schedule's rows, then retire the clinic's others; the names retired."""
    names = set(schedule_names)
    mark_clinic_entries(names)
    return retire_removed_entries(names)


class ClinicScheduler(DatabaseScheduler):
    """django_celery_beat's scheduler (``CELERY_BEAT_SCHEDULER``) that, on start, deletes
    the clinic's entries no longer in the schedule before it loads the table."""

    def setup_schedule(self) -> None:
        names = set(self.app.conf.beat_schedule)
        retire_removed_entries(names)
        super().setup_schedule()
        mark_clinic_entries(names)


def keep_to_schedule_after_migrate(sender: object, **kwargs: object) -> None:
    """``post_migrate``: the same, so an upgrade's ``migrate`` ends the retired entries
    even before beat restarts. Not while django_celery_beat's table is not there yet (a
    migration run only part of the way)."""
    from django.db import connections

    from clinic.celery import BEAT_SCHEDULE

    database = kwargs.get("using", "default")
    if PeriodicTask._meta.db_table in connections[database].introspection.table_names():
        keep_to_schedule(BEAT_SCHEDULE)
