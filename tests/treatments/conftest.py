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
