"""``manage.py beat_health``: beat's container health check (docker-compose.yml).

Exit status 0 while beat keeps sending its scheduled tasks (the heartbeat it stores in the
database is recent), 1 otherwise: a beat process that runs but no longer sends (lost its
database, stuck) shows as unhealthy, not only a beat that has exited.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clinic.health import beat_age, beat_problem


class Command(BaseCommand):
    help = "Exit 1 unless beat has sent its heartbeat in the last minutes."

    def handle(self, *args, **options) -> None:
        problem = beat_problem(beat_age(timezone.now()))
        if problem:
            raise CommandError(problem)
        self.stdout.write("beat ok")
