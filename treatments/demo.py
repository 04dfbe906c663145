"""The demo clinic: one user per role and a handful of patients, created idempotently.

Later issues extend it (diaries, injections) through functions called from ``seed_demo``.
Every function is idempotent: a second run finds what the first created and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from clinic.models import User
from patients.catalog import ensure_body_regions
from patients.models import AffectedRegion, BodyRegion, Patient

DEMO_PASSWORD = "demo-clinic-2026"  # noqa: S105  (printed by seed_demo; demo data only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser("patient", User.Role.PATIENT, "Pat", "Jones"),
    DemoUser("neurologist", User.Role.NEUROLOGIST, "Nora", "Iqbal"),
    DemoUser("neurologist2", User.Role.NEUROLOGIST, "Olu", "Adeyemi"),
    DemoUser("staff", User.Role.STAFF, "Sam", "Carter"),
    DemoUser("admin", User.Role.ADMIN, "Ada", "Moreau"),
)


@dataclass(frozen=True)
class DemoPatient:
    mrn: str
    first_name: str
    last_name: str
    born: date
    distribution: str
    regions: tuple[tuple[str, str], ...]  # (body region code, side)
    username: str | None = None


DEMO_PATIENTS = (
    DemoPatient(
        "DEMO-0001", "Pat", "Jones", date(1968, 4, 12), "focal", (("neck", ""),), username="patient"
    ),
    DemoPatient("DEMO-0002", "Maria", "Lopez", date(1957, 9, 3), "focal", (("eyelids", "both"),)),
    DemoPatient(
        "DEMO-0003",
        "Henrik",
        "Larsen",
        date(1975, 1, 27),
        "segmental",
        (("neck", ""), ("shoulder", "right")),
    ),
    DemoPatient(
        "DEMO-0004", "Aisha", "Bello", date(1983, 6, 18), "focal", (("arm-hand", "right"),)
    ),
    DemoPatient("DEMO-0005", "Tom", "Whitaker", date(1962, 11, 30), "focal", (("larynx", ""),)),
)


def ensure_user(spec: DemoUser) -> tuple[User, bool]:
    """Create the demo user with the demo password, or find the existing one untouched."""
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "role": spec.role,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@demo.invalid",
            "is_staff": spec.role == User.Role.ADMIN,
            "is_superuser": spec.role == User.Role.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def ensure_patient(
    spec: DemoPatient, neurologist: User, registered_on: date
) -> tuple[Patient, bool]:
    user = User.objects.get(username=spec.username) if spec.username else None
    patient, created = Patient.objects.get_or_create(
        medical_record_number=spec.mrn,
        defaults={
            "user": user,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "date_of_birth": spec.born,
            "email": f"{spec.mrn.lower()}@demo.invalid",
            "distribution": spec.distribution,
            "etiology": Patient.Etiology.IDIOPATHIC,
            "diagnosis_date": date(registered_on.year - 3, 3, 1),
            "registered_on": registered_on,
        },
    )
    if created:
        patient.care_team.add(neurologist)
        for code, side in spec.regions:
            AffectedRegion.objects.create(
                patient=patient, region=BodyRegion.objects.get(code=code), side=side
            )
    return patient, created


@transaction.atomic
def seed_people(today: date) -> dict[str, int]:
    """Create the demo users and patients; return how many of each were new."""
    ensure_body_regions()
    users = [ensure_user(spec) for spec in DEMO_USERS]
    neurologist = User.objects.get(username="neurologist")
    registered_on = date(today.year - 2, today.month, 1)
    patients = [ensure_patient(spec, neurologist, registered_on) for spec in DEMO_PATIENTS]
    return {
        "users": sum(created for _, created in users),
        "patients": sum(created for _, created in patients),
    }
