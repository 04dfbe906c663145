"""Celery tasks of the treatments app; Celery's autodiscovery imports this package, so each
task module is imported here."""

from treatments.tasks import followups, summaries

__all__ = ["followups", "summaries"]
