"""Load the demo clinic (idempotent): `python manage.py seed_demo`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from treatments.demo import DEMO_PASSWORD, DEMO_USERS, seed_people, seed_treatments


class Command(BaseCommand):
    help = (
        "Create the demo clinic: one user per role, a handful of patients, and their "
        "diaries, injection visits, ratings and other treatments."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            # Its accounts' password is published (README's demo logins): in a clinic's
            # database, whoever signed in first as its administrator would hold the admin.
            raise CommandError(
                "seed_demo is for development only (DJANGO_DEBUG=1, as `make run` sets): its "
                "demo accounts' password is published. Nothing was created."
            )
        today = timezone.localdate()
        created = seed_people(today)
        history = seed_treatments(today)
        self.stdout.write(
            f"Demo clinic ready: {created['users']} new users, {created['patients']} new patients, "
            f"{history['visits']} new injection visits, {history['diary_days']} new diary days, "
            f"{history['assessments']} new ratings, {history['courses']} new other treatments."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.role}")
