"""The synthetic clinic: users, patients, diaries, injections, follow-ups, notifications.

Rows are produced as plain tuples per model (``Rows``) and handed to a writer
(bench.loader), which COPYs them into PostgreSQL or inserts them into SQLite. Diaries come
from ``treatments.synthetic`` (the effect-timeline model with known truth), so the charts
and the nightly sweep meet realistic cycles: responses, early wear-off, non-response, gaps.

Ids are allocated here (``IdAllocator``, starting above what the table holds), so that
children can point at parents without a round trip; the loader moves the sequences on
afterwards. Nothing here calls save(): no signals, no history rows (a bulk load is not a
user's change), no tasks.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bench.catalog import INDICATION_BY_REGION, Catalog, units_decimal
from bench.config import ClinicSize
from treatments.synthetic import SyntheticParams, generate_patient, patient_seed, region_severities

# Routine reinjection every 10-16 weeks (issue 8), as the clinic schedules it.
PARAMS = SyntheticParams(interval_days=(70, 112))
FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gita", "Hugo", "Ines", "Jon")
LAST_NAMES = ("Adams", "Berg", "Costa", "Dahl", "Evans", "Fischer", "Garcia", "Horvat", "Ito")
TRIGGERS = ("stress", "fatigue", "anxiety", "poor_sleep", "bright_light", "physical_activity")
# (first region, second region or None, weight): mostly cervical, as in the clinic.
REGION_MIX = (
    ("neck", None, 45),
    ("neck", "shoulder", 15),
    ("eyelids", None, 18),
    ("larynx", None, 7),
    ("lower-face-jaw", None, 8),
    ("arm-hand", None, 7),
)
LATERAL_SIDES = ("left", "right", "both")
NOTIFY_DAYS = 30  # diary reminders are kept for the unlogged days of the last month


@dataclass
class IdAllocator:
    """Next free id per model label."""

    next_ids: dict[str, int] = field(default_factory=dict)

    def take(self, label: str) -> int:
        value = self.next_ids[label]
        self.next_ids[label] = value + 1
        return value


@dataclass(frozen=True)
class Rows:
    """A batch of rows for one model: field attnames and one tuple per row."""

    label: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    rows: list[tuple]


USER_FIELDS = (
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined", "uuid", "role",
)  # fmt: skip
PATIENT_FIELDS = (
    "id", "uuid", "user_id", "medical_record_number", "first_name", "last_name",
    "date_of_birth", "email", "distribution", "etiology", "diagnosis_date", "time_zone",
    "reminder_enabled", "reminder_time", "registered_on", "created", "updated",
)  # fmt: skip
DIARY_FIELDS = (
    "id", "uuid", "patient_id", "date", "severity", "pain", "interference", "triggers",
    "note", "entered_by_id", "created", "updated",
)  # fmt: skip
VISIT_FIELDS = (
    "id", "uuid", "patient_id", "date", "indication", "product_id", "lot_number",
    "dilution_units_per_ml", "guidance", "injector_id", "created", "updated",
)  # fmt: skip
SITE_FIELDS = ("id", "visit_id", "muscle_id", "side", "units", "points")
FOLLOWUP_FIELDS = (
    "id", "uuid", "patient_id", "source_visit_id", "kind", "due_from", "due_until",
    "scheduled_at", "status", "assignee_id", "created", "updated",
)  # fmt: skip
NOTIFICATION_FIELDS = ("id", "recipient_id", "kind", "text", "link", "created", "read_at")


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def clamp_score(value: float) -> int:
    return int(min(10, max(0, round(value))))


@dataclass
class ClinicPlan:
    """The people of the clinic, decided before any diary is generated."""

    size: ClinicSize
    today: date
    password_hash: str
    catalog: Catalog
    ids: IdAllocator
    neurologist_ids: list[int] = field(default_factory=list)
    staff_ids: list[int] = field(default_factory=list)


def staff_rows(plan: ClinicPlan) -> Iterator[Rows]:
    """Neurologists, staff and one administrator (usernames bench-neuro-01, ...)."""
    joined = at(plan.today - timedelta(days=max(*plan.size.showcase_days, plan.size.days)), 8)
    rows = []
    people = [("neuro", "neurologist", n) for n in range(1, plan.size.neurologists + 1)]
    people += [("staff", "staff", n) for n in range(1, plan.size.staff + 1)]
    people.append(("admin", "admin", 1))
    for prefix, role, n in people:
        user_id = plan.ids.take("clinic.User")
        if role == "neurologist":
            plan.neurologist_ids.append(user_id)
        elif role == "staff":
            plan.staff_ids.append(user_id)
        username = f"bench-{prefix}-{n:02d}"
        rows.append(
            (
                user_id, plan.password_hash, role == "admin", username,
                FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)],
                f"{username}@bench.invalid", role == "admin", True, joined, uuid.uuid4(), role,
            )
        )  # fmt: skip
    yield Rows("clinic.User", USER_FIELDS, rows)


@dataclass(frozen=True)
class PatientSpec:
    index: int  # 0-based; showcase patients come after the regular ones
    days: int
    username: str
    mrn: str


def patient_specs(size: ClinicSize) -> list[PatientSpec]:
    specs = [
        PatientSpec(i, size.days, f"bench-p{i + 1:06d}", f"BENCH-{i + 1:06d}")
        for i in range(size.patients)
    ]
    for n, days in enumerate(size.showcase_days):
        index = size.patients + n
        specs.append(PatientSpec(index, days, f"bench-show-{n + 1}", f"BENCH-SHOW-{n + 1}"))
    return specs


def showcase_username(position: int) -> str:
    """Username of the showcase patient at ``position`` in ClinicSize.showcase_days."""
    return f"bench-show-{position + 1}"


def care_team(plan: ClinicPlan, spec: PatientSpec) -> list[int]:
    """Neurologists of one patient; showcase patients are on the first neurologist's team."""
    ids = plan.neurologist_ids
    if spec.index >= plan.size.patients:
        return [ids[0]]
    first = spec.index % len(ids)
    return [ids[(first + k) % len(ids)] for k in range(plan.size.care_team_size)]


def _pick_regions(rng: random.Random) -> tuple[str, ...]:
    total = sum(weight for *_, weight in REGION_MIX)
    u = rng.uniform(0, total)
    for first, second, weight in REGION_MIX:
        if u < weight:
            return (first,) if second is None else (first, second)
        u -= weight
    return ("neck",)


def patient_rows(plan: ClinicPlan, spec: PatientSpec) -> Iterator[Rows]:
    """Everything one patient brings: user, record, regions, diary, visits, follow-ups."""
    size, ids, today = plan.size, plan.ids, plan.today
    seed = patient_seed(size.seed, spec.index)
    rng = random.Random(seed ^ 0x5EED)
    start = today - timedelta(days=spec.days - 1)
    synthetic = generate_patient(seed, start, spec.days, PARAMS)

    user_id = ids.take("clinic.User")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    created = at(start, 9)
    yield Rows(
        "clinic.User",
        USER_FIELDS,
        [
            (
                user_id, plan.password_hash, False, spec.username, first, last,
                f"{spec.username}@bench.invalid", False, True, created, uuid.uuid4(), "patient",
            )
        ],
    )  # fmt: skip
    patient_id = ids.take("patients.Patient")
    regions = _pick_regions(rng)
    yield Rows(
        "patients.Patient",
        PATIENT_FIELDS,
        [
            (
                patient_id, uuid.uuid4(), user_id, spec.mrn, first, last,
                date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                f"{spec.username}@bench.invalid", "segmental" if len(regions) > 1 else "focal",
                "idiopathic", start - timedelta(days=rng.randrange(200, 3000)), "UTC", True,
                time(19, 0), start, created, created,
            )
        ],
    )  # fmt: skip
    team = care_team(plan, spec)
    yield Rows(
        "patients.Patient_care_team",
        ("id", "patient_id", "user_id"),
        [(ids.take("patients.Patient_care_team"), patient_id, n) for n in team],
    )
    affected = []
    for code in regions:
        side = rng.choice(LATERAL_SIDES) if code in {"eyelids", "shoulder", "arm-hand"} else ""
        region_id = plan.catalog.region_ids[code]
        affected.append((ids.take("patients.AffectedRegion"), patient_id, region_id, side))
    yield Rows("patients.AffectedRegion", ("id", "patient_id", "region_id", "side"), affected)

    yield from _diary_rows(plan, rng, synthetic, patient_id, user_id, [a[0] for a in affected])
    yield from _visit_rows(plan, rng, synthetic.injections, patient_id, team[0], regions[0])
    yield Rows(
        "treatments.CycleProfile",
        ("id", "patient_id", "stale_since"),
        [(ids.take("treatments.CycleProfile"), patient_id, at(today, 0))],
    )
    logged = set(synthetic.severity_by_day)
    reminders = []
    for back in range(1, NOTIFY_DAYS + 1):
        day = today - timedelta(days=back)
        if day >= start and day not in logged:
            read = at(day, 21) if rng.random() < 0.5 else None
            reminders.append(
                (ids.take("clinic.Notification"), user_id, "diary_reminder",
                 "Time to log today's diary.", "/today/", at(day, 19), read)
            )  # fmt: skip
    yield Rows("clinic.Notification", NOTIFICATION_FIELDS, reminders)


def _diary_rows(plan, rng, synthetic, patient_id, user_id, affected_ids) -> Iterator[Rows]:
    ids = plan.ids
    entries, entry_by_day = [], {}
    gauss, rand, uuid4 = rng.gauss, rng.random, uuid.uuid4
    for day, severity in synthetic.severity_by_day.items():
        entry_id = ids.take("patients.DiaryEntry")
        entry_by_day[day] = entry_id
        triggers = f'["{TRIGGERS[int(rand() * len(TRIGGERS))]}"]' if rand() < 0.15 else "[]"
        note = "Busy day." if rand() < 0.03 else ""
        stamp = at(day, 20)
        entries.append(
            (
                entry_id, uuid4(), patient_id, day, int(severity),
                clamp_score(severity * 0.7 + gauss(0, 1)),
                clamp_score(severity * 0.8 + gauss(0, 1)),
                triggers, note, user_id, stamp, stamp,
            )
        )  # fmt: skip
    yield Rows("patients.DiaryEntry", DIARY_FIELDS, entries)
    per_region = region_severities(
        synthetic.severity_by_day, [str(a) for a in affected_ids], rng.randrange(1 << 30)
    )
    severities = []
    for affected_id, by_day in per_region.items():
        for day, value in by_day.items():
            severities.append(
                (
                    ids.take("patients.RegionSeverity"),
                    entry_by_day[day],
                    int(affected_id),
                    int(value),
                )
            )
    yield Rows(
        "patients.RegionSeverity", ("id", "entry_id", "affected_region_id", "severity"), severities
    )


def _visit_rows(plan, rng, injections, patient_id, injector_id, region) -> Iterator[Rows]:
    ids, catalog = plan.ids, plan.catalog
    product = catalog.products[patient_id % len(catalog.products)]
    muscles = catalog.muscles_by_region.get(region) or catalog.any_muscles
    indication = str(INDICATION_BY_REGION.get(region, "cervical"))
    visits, sites, follow_ups = [], [], []
    low, high = product.total_units
    total = rng.uniform(low, high)  # a patient's dose stays near their own usual total
    for n, day in enumerate(injections):
        visit_id = ids.take("treatments.InjectionVisit")
        stamp = at(day, 11)
        lot = f"LOT{rng.randrange(10**6):06d}"
        guidance = "emg" if rng.random() < 0.4 else "anatomical"
        visits.append(
            (visit_id, uuid.uuid4(), patient_id, day, indication, product.id, lot,
             units_decimal(100.0), guidance, injector_id, stamp, stamp)
        )  # fmt: skip
        chosen = rng.sample(muscles, k=min(len(muscles), rng.randint(2, 4)))
        per_site = total * rng.uniform(0.9, 1.1) / len(chosen)
        for muscle in chosen:
            sites.append(
                (ids.take("treatments.InjectionSite"), visit_id, muscle,
                 rng.choice(("left", "right")), units_decimal(per_site), rng.randint(1, 3))
            )  # fmt: skip
        last = n == len(injections) - 1
        follow_ups += _follow_ups(plan, rng, patient_id, visit_id, day, last)
    yield Rows("treatments.InjectionVisit", VISIT_FIELDS, visits)
    yield Rows("treatments.InjectionSite", SITE_FIELDS, sites)
    yield Rows("treatments.FollowUp", FOLLOWUP_FIELDS, follow_ups)


def _follow_ups(plan, rng, patient_id, visit_id, day, last) -> list[tuple]:
    """A review call around the peak and a reinjection visit at 12-16 weeks."""
    rows = []
    for kind, start, end in (("review", 21, 42), ("reinjection", 84, 112)):
        due_from, due_until = day + timedelta(days=start), day + timedelta(days=end)
        scheduled, status = None, "done"
        if not last:  # the next visit closed the reinjection; a few review calls were missed
            status = "missed" if kind == "review" and rng.random() < 0.05 else "done"
        elif due_until < plan.today:
            status = "missed" if kind == "review" else "due"
        elif rng.random() < 0.5:
            status = "scheduled"
            scheduled = at(max(due_from, plan.today + timedelta(days=1)), 10)
        else:
            status = "due"
        stamp = at(day, 11)
        rows.append(
            (plan.ids.take("treatments.FollowUp"), uuid.uuid4(), patient_id, visit_id, kind,
             due_from, due_until, scheduled, status, rng.choice(plan.staff_ids), stamp, stamp)
        )  # fmt: skip
    return rows


def clinic_rows(plan: ClinicPlan, progress: Callable[[int], None] | None = None) -> Iterator[Rows]:
    """Every row of the clinic, staff first, then patient by patient."""
    yield from staff_rows(plan)
    for n, spec in enumerate(patient_specs(plan.size)):
        yield from patient_rows(plan, spec)
        if progress is not None:
            progress(n + 1)
