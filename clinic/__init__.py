"""The clinic: settings, users and roles, access rules, audit trail and notifications."""

from clinic.celery import app as celery_app

__all__ = ("celery_app",)
