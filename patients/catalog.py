"""The body-region catalog (DESIGN §2): one list, loaded by migration and by tests."""

from __future__ import annotations

REGIONS: tuple[tuple[str, str, bool], ...] = (
    # code, name, lateral (left/right applies)
    ("eyelids", "Eyelids", True),
    ("lower-face-jaw", "Lower face and jaw", False),
    ("tongue", "Tongue", False),
    ("larynx", "Larynx / voice", False),
    ("neck", "Neck", False),
    ("shoulder", "Shoulder", True),
    ("arm-hand", "Arm and hand", True),
    ("trunk", "Trunk", False),
    ("leg-foot", "Leg and foot", True),
)


def load_body_regions(body_region_model) -> None:
    """Create or update the catalog rows (idempotent); takes the model so migrations can call it."""
    for order, (code, name, lateral) in enumerate(REGIONS, start=1):
        body_region_model.objects.update_or_create(
            code=code, defaults={"name": name, "lateral": lateral, "order": order}
        )


def ensure_body_regions() -> None:
    """Load the catalog into the current database (tests flush it after live-server runs)."""
    from patients.models import BodyRegion

    load_body_regions(BodyRegion)
