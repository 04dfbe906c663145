"""Load the demo clinic (idempotent): `python manage.py seed_demo`."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from treatments.demo import DEMO_PASSWORD, DEMO_USERS, seed_people


class Command(BaseCommand):
    help = "Create the demo clinic: one user per role and a handful of patients."

    def handle(self, *args, **options) -> None:
        created = seed_people(timezone.localdate())
        self.stdout.write(
            f"Demo clinic ready: {created['users']} new users, {created['patients']} new patients."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.role}")
