"""CI runs the suite on the real PostgreSQL; elsewhere SQLite is fine."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.services import in_ci


@pytest.mark.skipif(not in_ci(), reason="only CI must run on PostgreSQL")
def test_ci_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    assert os.environ.get("REDIS_URL")
