"""Fixtures shared by the treatments tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def published(monkeypatch) -> list[int]:
    """Delivery ids handed to the broker (nothing is really published)."""
    ids: list[int] = []
    from clinic.tasks import deliver_notification

    monkeypatch.setattr(deliver_notification, "delay", ids.append)
    return ids


@pytest.fixture
def lot_visit(patient_record, treating_neurologist):
    """A Botox visit ten days ago, lot C1234AB, one site: what the correction and
    history tests correct."""
    from tests.treatments.factories import visit_with_sites
    from tests.treatments.helpers import days_ago

    return visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        lot_number="C1234AB",
        sites=(("sternocleidomastoid", "left", "50"),),
    )
