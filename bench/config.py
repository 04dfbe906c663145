"""What a benchmark run works on, read from BENCH_* environment variables (no Django).

Sizes: BENCH_PATIENTS (2000), BENCH_DAYS (1095 = 3 years), BENCH_NEUROLOGISTS (20),
BENCH_STAFF (5), BENCH_SEED (8). Each size gets its own database on the server named by
BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), ``clinic_bench_<patients>x<days>``, so a
reduced run never destroys the full-size one and both are reused when their marker matches.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "RESULTS.md"
DATABASE_PREFIX = "clinic_bench"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432"
# Bump when the generator's output changes: a database seeded by an older one is re-seeded.
GENERATOR_VERSION = 3


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative; got {value}")
    return value


@dataclass(frozen=True)
class ClinicSize:
    """How big the synthetic clinic is. Showcase patients come on top of ``patients``:
    one per entry of ``showcase_days`` (the chart page is measured on them)."""

    patients: int = 2000
    days: int = 3 * 365
    neurologists: int = 20
    staff: int = 5
    seed: int = 8
    showcase_days: tuple[int, ...] = (365, 3 * 365, 10 * 365)
    care_team_size: int = 2  # neurologists per patient: 2000 x 2 / 20 = 200 patients each

    @property
    def database_name(self) -> str:
        """clinic_bench_<patients>x<days>[_<BENCH_DB_TAG>] (a tag keeps another checkout's
        databases apart, e.g. a preview merge with different migrations)."""
        tag = re.sub(r"[^a-z0-9_]", "", os.environ.get("BENCH_DB_TAG", "").lower())
        return f"{DATABASE_PREFIX}_{self.patients}x{self.days}" + (f"_{tag}" if tag else "")

    def as_marker(self) -> dict[str, object]:
        return {
            "patients": self.patients,
            "days": self.days,
            "neurologists": self.neurologists,
            "staff": self.staff,
            "seed": self.seed,
            "showcase_days": list(self.showcase_days),
            "care_team_size": self.care_team_size,
            "generator_version": GENERATOR_VERSION,
        }


FULL = ClinicSize()
# The "small" size for query counts: few patients, four months, showcase charts of 4 months.
SMALL = ClinicSize(patients=20, days=120, neurologists=4, staff=2, showcase_days=(120, 120, 120))
# Drills need a clinic, not a big one.
DRILL = ClinicSize(patients=60, days=90, neurologists=4, staff=2, showcase_days=(90,))


def full_size(environ: Mapping[str, str] = os.environ) -> ClinicSize:
    """The benchmark size, with BENCH_* overrides."""
    size = replace(
        FULL,
        patients=_int(environ, "BENCH_PATIENTS", FULL.patients),
        days=_int(environ, "BENCH_DAYS", FULL.days),
        neurologists=max(1, _int(environ, "BENCH_NEUROLOGISTS", FULL.neurologists)),
        staff=max(1, _int(environ, "BENCH_STAFF", FULL.staff)),
        seed=_int(environ, "BENCH_SEED", FULL.seed),
    )
    return replace(size, care_team_size=min(size.care_team_size, size.neurologists))


def pg_server_url(environ: Mapping[str, str] = os.environ) -> str:
    """The PostgreSQL server (no database part) the bench databases live on."""
    url = environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"BENCH_PG_URL must be a postgres:// URL; got {url!r}")
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def database_url(name: str, server: str | None = None) -> str:
    """postgres://.../<name>, refusing any name outside the bench's own prefix."""
    if not re.fullmatch(rf"{DATABASE_PREFIX}[a-z0-9_]*", name):
        raise SystemExit(f"refusing to use database {name!r}: bench databases are clinic_bench*")
    return f"{server or pg_server_url()}/{name}"


def is_bench_database(name: str) -> bool:
    return bool(re.fullmatch(rf"{DATABASE_PREFIX}[a-z0-9_]*", name))


def rounds(environ: Mapping[str, str] = os.environ) -> int:
    """Measured requests per scenario (after warm-up)."""
    return max(3, _int(environ, "BENCH_ROUNDS", 100))
