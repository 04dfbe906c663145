"""Shared pieces of the treatment view tests: persona expectations and form payloads."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.treatments.factories import muscle, product

# Reading a patient's treatment pages: the patient themself and the care team.
READ_STATUS = {
    "anonymous": 302,
    "inactive_user": 302,
    "patient": 200,
    "other_patient": 404,
    "treating_neurologist": 200,
    "other_neurologist": 404,
    "staff": 403,
    "admin": 403,
}
# Recording and correcting: the care team's neurologists only.
WRITE_STATUS = READ_STATUS | {"patient": 403, "other_patient": 403}
PERSONAS = tuple(READ_STATUS)


def sign_in(client, user) -> None:
    if user is not None:
        client.force_login(user)


def check_status(response, expected: int) -> None:
    assert response.status_code == expected, response.status_code
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


MANAGEMENT = {"sites-INITIAL_FORMS": "0", "sites-MIN_NUM_FORMS": "1", "sites-MAX_NUM_FORMS": "60"}


def visit_payload(
    *,
    product_code: str = "botox",
    sites=(("sternocleidomastoid", "left", "50", "2"),),
    **fields,
) -> dict[str, object]:
    """A valid visit form submission; ``fields`` override visit fields."""
    data: dict[str, object] = {
        "date": days_ago(1).isoformat(),
        "indication": "cervical",
        "product": str(product(product_code).pk),
        "lot_number": "C1234AB",
        "lot_expiry": "",
        "dilution_units_per_ml": "50",
        "guidance": "emg",
        "notes": "",
        "early_reason": "",
        "sites-TOTAL_FORMS": str(len(sites)),
        **MANAGEMENT,
    }
    for index, (code, side, units, points) in enumerate(sites):
        data[f"sites-{index}-muscle"] = str(muscle(code).pk) if code else ""
        data[f"sites-{index}-side"] = side
        data[f"sites-{index}-units"] = units
        data[f"sites-{index}-points"] = points
    data.update(fields)
    return data


def product_change_checked(product_code: str) -> dict[str, str]:
    """The mark a correction page carries once its product change was asked about (a
    product change is refused once, to check the units: ``VisitCorrectionForm``)."""
    return {"product_change_checked": str(product(product_code).pk)}


def make_neurologist(username: str):
    return get_user_model().objects.create_user(username=username, role="neurologist")
