"""Simulating two identical requests racing: both pass the model's checks, then both insert."""

from __future__ import annotations

import pytest
from django.db import models


def checks_miss_the_other_request(monkeypatch: pytest.MonkeyPatch, model: type[models.Model]):
    """Make ``model``'s uniqueness and constraint checks pass, as they do for the second of
    two identical requests that checks before the first one commits: only the database's
    own constraint then sees the duplicate, as an IntegrityError."""
    monkeypatch.setattr(model, "validate_unique", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(model, "validate_constraints", lambda self, *args, **kwargs: None)
