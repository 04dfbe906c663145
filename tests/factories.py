"""factory_boy factories for the clinic's models."""

from __future__ import annotations

from datetime import date

import factory
from faker import Faker

from clinic.models import User
from patients.models import AffectedRegion, BodyRegion, Patient

PASSWORD = "correct-horse-battery-staple"
_FAKE = Faker()


def _patient_last_name(n: int) -> str:
    """A real surname made unique: tests assert a name is *absent* from a page, and a bare
    surname ("Day", "Page", "Long") can occur in any page's text by chance."""
    return f"{_FAKE.last_name()}-{n}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.PATIENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    medical_record_number = factory.Sequence(lambda n: f"MRN-{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(_patient_last_name)
    date_of_birth = date(1970, 5, 17)
    email = factory.LazyAttribute(lambda p: f"{p.medical_record_number.lower()}@example.invalid")
    distribution = Patient.Distribution.FOCAL
    etiology = Patient.Etiology.IDIOPATHIC
    registered_on = date(2024, 1, 1)

    @factory.post_generation
    def care_team(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.care_team.set(extracted)


class AffectedRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AffectedRegion

    patient = factory.SubFactory(PatientFactory)
    region = factory.LazyFunction(lambda: BodyRegion.objects.get(code="neck"))
    side = ""
