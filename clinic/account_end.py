"""Accounts with an end (``User.access_until``): a locum's cover, a temporary colleague."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clinic.models import User


def switch_off_ended_accounts() -> int:
    """Switch off every active account past its last day (the clinic's date); how many.

    Each is saved as an administrator's switch-off is (``User.save``), so its calendar feed
    addresses end with it, and staff pages show it as switched off. Sign-in and sessions
    already stop at midnight (``clinic.backends``); this makes it visible. Idempotent.
    """
    ended = User.objects.filter(is_active=True, access_until__lt=timezone.localdate())
    count = 0
    for user in ended:
        with transaction.atomic():
            user.is_active = False
            user.save(update_fields=["is_active"])
        count += 1
    return count
