"""Configuration sanity checks, run by `manage.py check` (and `check --deploy`)."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def time_zone_known(app_configs, **kwargs) -> list:
    from zoneinfo import available_timezones

    if settings.TIME_ZONE not in available_timezones():
        return [
            Error(
                f"CLINIC_TIME_ZONE {settings.TIME_ZONE!r} is not a known time zone",
                id="clinic.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def email_goes_out(app_configs, **kwargs) -> list:
    """Production mail needs EMAIL_URL: without it emails (invitation links among them)
    are written to files under var/mail/ and nobody receives them."""
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") and not settings.DEBUG:
        return [
            Warning(
                "EMAIL_URL is not set: emails are written to files under var/mail/, not sent",
                hint="Set EMAIL_URL=smtp://user:password@host:587 (or smtps://...:465).",
                id="clinic.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def email_sender_named(app_configs, **kwargs) -> list:
    """Mail that goes out needs a real sender: from the default ``noreply@localhost`` the
    clinic's mail server refuses it, or the patient's files it as spam."""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    sends = settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    if settings.DEBUG or not sends or not sender.lower().endswith("@localhost"):
        return []
    return [
        Warning(
            f"DEFAULT_FROM_EMAIL is {sender!r}: mail servers refuse or bin emails from it",
            hint="Set DEFAULT_FROM_EMAIL=Dystonia Clinic <clinic@your-clinic's-domain>.",
            id="clinic.W002",
        )
    ]


@register(Tags.security, deploy=True)
def site_url_host_allowed(app_configs, **kwargs) -> list:
    """Every email links to SITE_URL (invitations, password resets, notices): a host that
    ALLOWED_HOSTS does not list answers those links with 400 Bad Request."""
    from django.http.request import validate_host

    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.DEBUG or validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Error(
            f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS: the links in the clinic's "
            "emails would be refused (400 Bad Request)",
            hint=f"Add {host} to ALLOWED_HOSTS (comma-separated).",
            id="clinic.E002",
        )
    ]


@register(Tags.security, deploy=True)
def development_switches_off(app_configs, **kwargs) -> list:
    """`make run`'s switches, never production's: two-factor off (a clinician's password
    alone would open every patient's record) and tasks run inside the request (every
    booking and invitation would wait on the mail server, and fail with it)."""
    if settings.DEBUG:
        return []
    found = []
    if not settings.CLINIC_REQUIRE_2FA:
        found.append(
            Warning(
                "CLINIC_REQUIRE_2FA is off: neurologists, staff and administrators sign in "
                "with a password alone",
                hint="Remove CLINIC_REQUIRE_2FA (or set it to 1).",
                id="clinic.W003",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        found.append(
            Warning(
                "CELERY_TASK_ALWAYS_EAGER is on: tasks (emails among them) run inside web "
                "requests, which then wait on the mail server",
                hint="Remove CELERY_TASK_ALWAYS_EAGER and run a worker.",
                id="clinic.W004",
            )
        )
    return found
