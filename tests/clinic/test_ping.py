"""/ping: the trivial page the benchmarks use as their floor."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["anonymous", "patient", "treating_neurologist", "staff", "admin"], indirect=True
)
def test_everybody_gets_pong(client_for, persona):
    response = client_for(persona).get("/ping")
    assert response.status_code == 200
    assert response.content == b"pong"


def test_it_touches_no_database_when_anonymous(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/ping")
    assert len(queries) == 0


def test_it_only_answers_get(client):
    assert client.post("/ping").status_code == 405
