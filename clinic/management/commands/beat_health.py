"""``manage.py beat_health``: beat's container health check (docker-compose.yml).

Exit status 0 while beat keeps sending its scheduled tasks (it stamps each heartbeat the
broker has taken: clinic/celery.py), 1 otherwise: a beat process that runs but no longer
sends (broker or database lost, stuck) shows as unhealthy, not only a beat that has exited.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clinic.health import BEAT_HEARTBEAT, beat_problem, heartbeat_age


class Command(BaseCommand):
    help = "Exit 1 unless beat has sent its heartbeat in the last minutes."

    def handle(self, *args, **options) -> None:
        problem = beat_problem(heartbeat_age(BEAT_HEARTBEAT, timezone.now()))
        if problem:
            raise CommandError(problem)
        self.stdout.write("beat ok")
