"""The nightly sweep repairs what a failed follow-up re-sync left behind.

The test goes through the real path (``visit_correct`` and, after commit, the
``injection_visit_changed`` receivers), with the receiver's re-sync made to fail.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments import followup_receivers
from treatments.models import FollowUp, InjectionVisit
from treatments.services import followups as services
from treatments.services.visits import SiteInput, VisitInput, visit_correct

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def correct(treating_neurologist, django_capture_on_commit_callbacks):
    """Correct a visit as its neurologist does, with the receivers run after commit."""

    def run(visit: InjectionVisit, **changes) -> InjectionVisit:
        fields = {
            name: getattr(visit, name)
            for name in ("date", "indication", "product", "lot_number", "guidance")
        }
        fields["dilution_units_per_ml"] = visit.dilution_units_per_ml
        sites = [
            SiteInput(muscle=s.muscle, side=s.side, units=s.units, points=s.points)
            for s in visit.sites.all()
        ]
        with django_capture_on_commit_callbacks(execute=True):
            return visit_correct(
                visit=visit,
                user=treating_neurologist,
                changes=VisitInput(**{**fields, **changes}),
                sites=sites,
                reason="Wrong date typed",
            )

    return run


def state(followup: FollowUp) -> tuple[str, str]:
    followup.refresh_from_db()
    return followup.status, followup.status_reason


def test_the_nightly_sweep_reopens_follow_ups_a_failed_resync_left_superseded(
    patient_record, today, correct, monkeypatch
):
    """The receiver's failure is logged with "the nightly sweep retries": after a date
    correction whose re-sync failed (a deadlock, a dropped connection), the sweep must
    bring the other visits' follow-ups back, or the patient's only remaining reinjection
    stays closed, naming a visit date that no longer exists."""
    first = data.visit(patient_record, on=today - timedelta(100))
    second = data.visit(patient_record, on=today - timedelta(10))
    assert state(data.reinjection_of(first)) == (
        Status.DONE,
        f"Reinjected on {today - timedelta(10)}",
    )

    def fails(**kwargs):
        raise RuntimeError("deadlock detected")

    with monkeypatch.context() as patched:
        patched.setattr(followup_receivers, "followups_sync_for_visit", fails)
        correct(second, date=today - timedelta(200))  # the visit is saved, the re-sync fails

    assert services.followups_sweep(now=timezone.now())["reopened"] == 1

    # The first visit is now the patient's latest: its reinjection is due again.
    assert state(data.reinjection_of(first)) == (Status.DUE, "")
