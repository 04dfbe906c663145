"""Celery tasks of the treatments app; Celery's autodiscovery imports this package, so each
task module is imported here."""

from treatments.tasks import followups  # noqa: F401
