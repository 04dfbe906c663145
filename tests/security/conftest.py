"""Fixtures of the security tests: every persona at once, and the world of real objects."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import PERSONAS
from tests.security.fuzz import NOW
from tests.security.world import World, build_world


@pytest.fixture
def users(request, patient_record) -> dict:
    """Persona name -> user (None for anonymous), all eight in one database."""
    return {persona: request.getfixturevalue(persona) for persona in PERSONAS}


@pytest.fixture
def world(patient_record, treating_neurologist, staff) -> World:
    return build_world(patient=patient_record, neurologist=treating_neurologist, staff=staff)


@pytest.fixture
def neurologist_client(client, treating_neurologist, patient_record):
    """The treating neurologist signed in, at the fuzzers' fixed moment."""
    client.force_login(treating_neurologist)
    with time_machine.travel(NOW, tick=True):
        yield client
