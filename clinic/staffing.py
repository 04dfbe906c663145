"""Whether the clinic can look after its patients: one active neurologist at least.

Without one (the last switched off, or no longer a neurologist), review calls have nobody
to hold them, cycle alerts reach nobody and no care team can be chosen, so staff's start
page, the patient form and the administration's start page say so (``NO_NEUROLOGIST``).
"""

from __future__ import annotations

from clinic.models import User

NO_NEUROLOGIST = (
    "The clinic has no active neurologist: patients' review calls have nobody to hold them, "
    "alerts about their treatment reach nobody and no care team can be chosen. An "
    "administrator adds a neurologist or switches one back on (Administration → Users)."
)


def clinic_without_neurologist() -> bool:
    """True when no account is an active neurologist (one query)."""
    return not User.objects.filter(role=User.Role.NEUROLOGIST, is_active=True).exists()
