"""Named personas shared by every test (STYLE.md): who they are is what they are called."""

from __future__ import annotations

import pytest
from django.test import Client

from clinic.models import User
from patients.catalog import ensure_body_regions
from tests.factories import AffectedRegionFactory, PatientFactory, UserFactory
from tests.two_factor import force_login_verified
from treatments.catalog import ensure_treatment_catalogs

PERSONAS = (
    "anonymous",
    "patient",
    "other_patient",
    "treating_neurologist",
    "other_neurologist",
    "staff",
    "admin",
    "inactive_user",
)


@pytest.fixture(autouse=True)
def _force_login_is_two_factor_verified(monkeypatch):
    """``client.force_login(clinician)`` stands for a finished sign-in, two-factor included.

    Two-factor is required for the clinical roles (clinic/two_factor.py); the tests of the
    sign-in itself use the login and verify pages, or ``tests.two_factor.force_login_unverified``.
    """
    monkeypatch.setattr(Client, "force_login", force_login_verified(Client.force_login))


@pytest.fixture
def catalogs(db) -> None:
    """The catalog rows that migrations load (a live-server test flushes them)."""
    ensure_body_regions()
    ensure_treatment_catalogs()


@pytest.fixture
def treating_neurologist(db) -> User:
    return UserFactory(username="dr_treating", role=User.Role.NEUROLOGIST)


@pytest.fixture
def other_neurologist(db) -> User:
    return UserFactory(username="dr_other", role=User.Role.NEUROLOGIST)


@pytest.fixture
def staff(db) -> User:
    return UserFactory(username="staff_member", role=User.Role.STAFF)


@pytest.fixture
def admin(db) -> User:
    return UserFactory(
        username="clinic_admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def inactive_user(db) -> User:
    return UserFactory(username="former_staff", role=User.Role.STAFF, is_active=False)


@pytest.fixture
def patient_record(db, catalogs, treating_neurologist):
    """The Patient row of the ``patient`` persona, on the treating neurologist's care team."""
    user = UserFactory(username="pat", role=User.Role.PATIENT)
    record = PatientFactory(user=user, care_team=[treating_neurologist])
    AffectedRegionFactory(patient=record)
    return record


@pytest.fixture
def patient(patient_record) -> User:
    return patient_record.user


@pytest.fixture
def other_patient_record(db, catalogs, other_neurologist):
    user = UserFactory(username="other_pat", role=User.Role.PATIENT)
    record = PatientFactory(user=user, care_team=[other_neurologist])
    AffectedRegionFactory(patient=record)
    return record


@pytest.fixture
def other_patient(other_patient_record) -> User:
    return other_patient_record.user


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def persona(request):
    """Indirect parametrisation: ``parametrize("persona", [...], indirect=True)``."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_for(client):
    """Return a function that signs the test client in as a user (or leaves it anonymous)."""

    def sign_in(user: User | None):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
