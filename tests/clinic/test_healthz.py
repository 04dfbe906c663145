from __future__ import annotations

import pytest
from django.db import DatabaseError

from clinic import health


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unreachable"}
    assert "worker_seen_seconds_ago" in body


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0"])
def test_an_unreachable_redis_is_reported(settings, url):
    settings.CELERY_BROKER_URL = url
    assert health.broker_status() == "unreachable"
