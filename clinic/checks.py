"""Configuration sanity checks, run by `manage.py check` (and `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


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
