"""The demo clinic: one user per role and a handful of patients, created idempotently.

Later issues extend it (diaries, injections) through functions called from ``seed_demo``.
Every function is idempotent: a second run finds what the first created and changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from clinic.models import User
from patients.catalog import ensure_body_regions
from patients.models import AffectedRegion, BodyRegion, DiaryEntry, Patient, RegionSeverity
from treatments.catalog import (
    BLEPHAROSPASM,
    CERVICAL,
    LIMB,
    SPASMODIC_DYSPHONIA,
    TIMELINES,
    ensure_treatment_catalogs,
)
from treatments.cycles import ExpectedTimeline, analyse_cycles
from treatments.models import (
    Assessment,
    InjectionSite,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    ToxinProduct,
    TreatmentCourse,
)
from treatments.services.summaries import cycle_profiles_mark_stale
from treatments.signals import injection_visit_changed
from treatments.synthetic import (
    KIND_NO_RESPONSE,
    SyntheticParams,
    generate_patient,
    region_severities,
)

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


# --- Treatment histories: diaries, injection visits, ratings and other treatments ---------
#
# Every demo patient gets 12+ months of diary (treatments.synthetic: onset, peak and
# wear-off per cycle with day-to-day noise and missing days) and 4-6 injection visits
# about 12 weeks apart, the last one a few weeks ago so that its cycle is ongoing.
# Dates are relative to `today`. A patient who already has injection visits is left alone
# (idempotent); diary days that already exist are kept as they are.

TYPICAL = "typical"
EARLY = "early_wear_off"
NO_RESPONSE = "one_no_response"
SEED_ATTEMPTS = 300  # deterministic search for a generated history that shows the story

Site = tuple[str, str, str, int]  # muscle code, side, units (text, product's own), points


@dataclass(frozen=True)
class DemoHistory:
    """What one demo patient's treatment looks like; units are the product's own."""

    mrn: str
    story: str  # TYPICAL, EARLY or NO_RESPONSE
    indication: str
    product: str
    sites: tuple[Site, ...]
    guidance: str
    dilution: str  # units per mL of the product
    params: SyntheticParams
    cycles: int  # injection visits
    days_since_last: int  # the last visit was this many days before today
    seed: int
    switch_to: str = ""  # after the non-responding cycle (NO_RESPONSE)
    switch_sites: tuple[Site, ...] = ()
    switch_dilution: str = ""
    early_reason: str = ""
    scale: str = ""


def _params(**overrides) -> SyntheticParams:
    base = {
        "p_no_response": 0.0,
        "p_early_wear_off": 0.0,
        "p_long": 0.0,
        "p_cut_short": 0.0,
        "missing_fraction": 0.2,
        "washout_days": 0,
        "interval_days": (84, 90),
        "typical_wear_off_day": (74, 86),
        "decline_days": (14, 20),
    }
    return SyntheticParams(**(base | overrides))


DEMO_HISTORIES = (
    DemoHistory(
        "DEMO-0001", TYPICAL, CERVICAL, "botox",
        (("sternocleidomastoid", "left", "50", 2), ("splenius-capitis", "right", "50", 2),
         ("splenius-cervicis", "right", "30", 1), ("trapezius", "right", "50", 2),
         ("levator-scapulae", "right", "40", 2),
         ("semispinalis-capitis", "right", "30", 2)),
        "emg", "50", _params(typical_wear_off_day=(84, 92)), 5, 38, seed=101, scale="twstrs",
    ),
    DemoHistory(
        "DEMO-0002", EARLY, BLEPHAROSPASM, "xeomin",
        (("orbicularis-oculi-pretarsal", "left", "5", 2),
         ("orbicularis-oculi-pretarsal", "right", "5", 2),
         ("orbicularis-oculi-preseptal", "left", "10", 2),
         ("orbicularis-oculi-preseptal", "right", "10", 2),
         ("orbicularis-oculi-orbital", "left", "7.5", 2),
         ("orbicularis-oculi-orbital", "right", "7.5", 2),
         ("procerus", "midline", "5", 1)),
        "anatomical", "25",
        _params(p_early_wear_off=1.0, early_wear_off_day=(38, 46), interval_days=(70, 77)),
        6, 30, seed=202, scale="bsdi",
        early_reason="Benefit gone by about week 6: cannot read or drive until the next one.",
    ),
    DemoHistory(
        "DEMO-0003", NO_RESPONSE, CERVICAL, "botox",
        (("sternocleidomastoid", "left", "50", 2), ("splenius-capitis", "right", "50", 2),
         ("splenius-cervicis", "right", "30", 1), ("trapezius", "right", "50", 2),
         ("levator-scapulae", "right", "40", 2),
         ("rhomboids", "right", "30", 2)),
        "emg", "50",
        _params(p_no_response=0.3, typical_wear_off_day=(86, 98)), 5, 52, seed=303,
        switch_to="dysport",
        switch_dilution="200",
        switch_sites=(("sternocleidomastoid", "left", "150", 2),
                      ("splenius-capitis", "right", "200", 3), ("trapezius", "right", "125", 2),
                      ("levator-scapulae", "right", "100", 2), ("rhomboids", "right", "75", 2)),
        scale="twstrs",
    ),
    DemoHistory(
        "DEMO-0004", TYPICAL, LIMB, "botox",
        (("flexor-carpi-radialis", "right", "20", 1),
         ("flexor-digitorum-superficialis", "right", "25", 2),
         ("flexor-digitorum-profundus", "right", "20", 1),
         ("flexor-pollicis-longus", "right", "15", 1), ("pronator-teres", "right", "15", 1)),
        "ultrasound", "100", _params(typical_wear_off_day=(84, 92)), 4, 21, seed=404, scale="wcrs",
    ),
    DemoHistory(
        "DEMO-0005", TYPICAL, SPASMODIC_DYSPHONIA, "botox",
        (("thyroarytenoid", "left", "1.25", 1), ("thyroarytenoid", "right", "1.25", 1)),
        "emg", "25", _params(typical_wear_off_day=(88, 100)), 4, 60, seed=505, scale="gdrs",
    ),
)  # fmt: skip

DEMO_COURSES = {
    "DEMO-0001": (
        ("oral", "Trihexyphenidyl", "2 mg twice a day", -420, -240),
        ("physio", "Physiotherapy for neck posture", "weekly", -200, None),
    ),
    "DEMO-0003": (("oral", "Baclofen", "10 mg at night", -300, None),),
    "DEMO-0004": (("physio", "Occupational therapy (writing aids)", "fortnightly", -150, -30),),
    "DEMO-0005": (("speech", "Speech therapy", "monthly", -250, None),),
}

ANCHOR = date(2000, 1, 1)  # generation happens on day indexes; dates are set afterwards
GENERATED_DAYS = 900
MIN_DIARY_DAYS = 380  # "12+ months"


@dataclass(frozen=True)
class HistoryPlan:
    """A generated history that tells the patient's story, on day indexes (0 = first
    diary day; ``end`` = the last diary day, yesterday)."""

    history: DemoHistory
    severity: dict[int, float]
    visits: list[int]
    end: int
    no_response_cycle: int | None


def expected_timeline(product: str, indication: str) -> ExpectedTimeline:
    """The catalog's default timeline as the cycle analysis takes it."""
    spec = next(t for t in TIMELINES if t.product == product and t.indication == indication)
    return ExpectedTimeline(
        onset_days=spec.onset_days,
        peak_weeks=spec.peak_weeks,
        duration_weeks=spec.duration_weeks,
        min_interval_weeks=spec.min_interval_weeks,
    )


def _story_holds(history: DemoHistory, verdicts: list[str], kinds: list[str]) -> int | None:
    """-1 when a TYPICAL/EARLY story holds, the cycle index for NO_RESPONSE, else None.
    The last (open) cycle must be "ongoing" in every story."""
    closed = verdicts[:-1]
    if verdicts[-1] != "ongoing":  # the current cycle has started working
        return None
    if history.story == TYPICAL:
        return -1 if closed and all(v == "as_expected" for v in closed) else None
    if history.story == EARLY:
        return -1 if closed and all(v == "early_wear_off" for v in closed) else None
    misses = [i for i, v in enumerate(closed) if v == "no_response"]
    if len(misses) != 1 or misses[0] not in (1, 2) or kinds[misses[0]] != KIND_NO_RESPONSE:
        return None
    others = [v for i, v in enumerate(closed) if i != misses[0]]
    return misses[0] if all(v == "as_expected" for v in others) else None


def plan_history(history: DemoHistory) -> HistoryPlan:
    """Search seeds (deterministically) for a generated diary whose analysis shows the
    story: every finished cycle as expected, every one early, or exactly one without
    response between responding ones. Falls back to the last candidate."""
    expected = expected_timeline(history.product, history.indication)
    lead = (history.cycles - 1) * 84 + history.days_since_last
    params = replace(history.params, first_injection_day=max(28, MIN_DIARY_DAYS - lead))
    plan = None
    for attempt in range(SEED_ATTEMPTS):
        synthetic = generate_patient(history.seed * 1000 + attempt, ANCHOR, GENERATED_DAYS, params)
        dates = synthetic.injections[: history.cycles]
        if len(dates) < history.cycles:
            continue
        visits = [(d - ANCHOR).days for d in dates]
        end = visits[-1] + history.days_since_last - 1
        diary = {d: v for d, v in synthetic.severity_by_day.items() if (d - ANCHOR).days <= end}
        results = analyse_cycles(diary, dates, expected, ANCHOR + timedelta(days=end))
        kinds = [c.kind for c in synthetic.cycles[: history.cycles]]
        story = _story_holds(history, [str(r.verdict) for r in results], kinds)
        plan = HistoryPlan(
            history,
            {(d - ANCHOR).days: v for d, v in diary.items()},
            visits,
            end,
            story if story is not None and story >= 0 else None,
        )
        if story is not None:
            break
    if plan is None:
        raise RuntimeError(f"no history with {history.cycles} visits for {history.mrn}")
    return plan


def _clamp_score(value: float) -> int:
    return int(min(10, max(0, round(value))))


TRIGGERS = ("stress", "fatigue", "anxiety", "poor_sleep", "physical_activity")


def _diary(patient: Patient, plan: HistoryPlan, start: date) -> int:
    """Create the missing diary days with pain, interference, triggers and regions."""
    rng = random.Random(plan.history.seed)  # noqa: S311  (demo data, not secrets)
    existing = set(patient.diary.values_list("date", flat=True))
    pain_weight = 0.3 if plan.history.indication == BLEPHAROSPASM else 0.6
    triggers = (*TRIGGERS, "bright_light") if plan.history.indication == BLEPHAROSPASM else TRIGGERS
    entries = []
    for day, value in sorted(plan.severity.items()):
        when = start + timedelta(days=day)
        pain = _clamp_score(value * pain_weight + rng.gauss(0, 0.8))
        interference = _clamp_score(value * 0.9 + rng.gauss(0, 0.8))
        chosen = [rng.choice(triggers)] if rng.random() < 0.15 else []
        if when not in existing:
            entries.append(
                DiaryEntry(
                    patient=patient,
                    date=when,
                    severity=int(value),
                    pain=pain,
                    interference=interference,
                    triggers=chosen,
                    entered_by=patient.user,
                )
            )
    DiaryEntry.objects.bulk_create(entries)
    regions = list(patient.regions.all())
    by_region = region_severities(
        {start + timedelta(days=d): v for d, v in plan.severity.items()},
        [str(region.pk) for region in regions],
        plan.history.seed,
    )
    RegionSeverity.objects.bulk_create(
        RegionSeverity(
            entry=entry,
            affected_region=region,
            severity=int(by_region[str(region.pk)][entry.date]),
        )
        for entry in entries
        for region in regions
    )
    return len(entries)


def _units(text: str, factor: Decimal) -> Decimal:
    """Base units times a small dose change, on the step a syringe is read at."""
    base = Decimal(text)
    step = Decimal("0.25") if base < 5 else Decimal("2.5") if base < 30 else Decimal("5")
    return max(step, (base * factor / step).quantize(Decimal(1)) * step)


def _dose(sites: tuple[Site, ...], factor: Decimal) -> list[tuple[str, str, Decimal, int]]:
    return [(muscle, side, _units(units, factor), points) for muscle, side, units, points in sites]


def _within_maxima(sites: list[tuple[str, str, Decimal, int]], timeline: ProductTimeline) -> bool:
    """Whether a demo dose stays within the timeline's usual maxima, per session and per
    site (the demo's visits need no confirmation; the base doses do)."""
    session, per_site = timeline.max_units_per_session, timeline.max_units_per_site
    total = sum(units for _, _, units, _ in sites)
    per_point = max(units / points for _, _, units, points in sites)  # a site is a point
    return (not session or total <= session) and (not per_site or per_point <= per_site)


def _visits(patient: Patient, plan: HistoryPlan, start: date, injector: User) -> list:
    """Create the visits and their sites (with a history row each, as if recorded)."""
    history, rng = plan.history, random.Random(plan.history.seed + 1)  # noqa: S311
    visits, site_rows = [], []
    previous = None
    for index, day in enumerate(plan.visits):
        switched = plan.no_response_cycle is not None and index > plan.no_response_cycle
        code = history.switch_to if switched else history.product
        product = ToxinProduct.objects.get(code=code)
        timeline = ProductTimeline.objects.get(product=product, indication=history.indication)
        base = history.switch_sites if switched else history.sites
        sites = _dose(base, Decimal(str(rng.choice((0.9, 1.0, 1.0, 1.1)))))
        if not _within_maxima(sites, timeline):
            sites = _dose(base, Decimal(1))
        when = start + timedelta(days=day)
        early = (
            previous is not None
            and timeline.min_interval_weeks is not None
            and (when - previous).days < timeline.min_interval_weeks * 7
        )
        notes = ""
        if switched and index == plan.no_response_cycle + 1:
            notes = f"No benefit from the last cycle: switched to {product.brand_name}."
        visits.append(
            InjectionVisit(
                patient=patient,
                date=when,
                indication=history.indication,
                product=product,
                lot_number=f"{code[:2].upper()}{rng.randint(10000, 99999)}",
                lot_expiry=when + timedelta(days=rng.randint(120, 540)),
                dilution_units_per_ml=Decimal(
                    history.switch_dilution if switched else history.dilution
                ),
                guidance=history.guidance,
                injector=injector,
                notes=notes,
                early_reason=(history.early_reason or "Symptoms back early.") if early else "",
            )
        )
        site_rows.append(sites)
        previous = when
    bulk_create_with_history(visits, InjectionVisit, default_user=injector)
    muscles = {m.code: m for m in Muscle.objects.all()}
    bulk_create_with_history(
        [
            InjectionSite(visit=visit, muscle=muscles[m], side=side, units=units, points=points)
            for visit, sites in zip(visits, site_rows, strict=True)
            for m, side, units, points in sites
        ],
        InjectionSite,
        default_user=injector,
    )
    return visits


def _rating(scale: str, level: float, rng: random.Random) -> tuple[Decimal, dict]:
    """A rating from the diary level (mean severity as a fraction of 10); numbers only."""
    if scale == "twstrs":
        parts = {
            "severity": round(level * 28),
            "disability": round(level * 20),
            "pain": round(level * 14),
        }
    elif scale == "bsdi":
        parts = {
            f"item{i}": min(4, max(0, round(level * 4) + rng.choice((-1, 0, 0, 1))))
            for i in range(1, 7)
        }
    elif scale == "gdrs":
        parts = {"larynx": round(level * 10)}
    else:
        return Decimal(round(level * 24)), {}
    return Decimal(sum(parts.values())), parts


def _ratings(patient, plan: HistoryPlan, start: date, visits, rater) -> int:
    """One rating per visit, from the two weeks of diary before it."""
    rng = random.Random(plan.history.seed + 2)  # noqa: S311
    rows = []
    for visit, day in zip(visits, plan.visits, strict=True):
        before = [v for d, v in plan.severity.items() if day - 14 <= d < day]
        level = (sum(before) / len(before) if before else 5.0) / 10
        total, parts = _rating(plan.history.scale, level, rng)
        rows.append(
            Assessment(
                patient=patient,
                visit=visit,
                date=visit.date,
                scale=plan.history.scale,
                total=total,
                subscores=parts,
                rated_by=rater,
            )
        )
    Assessment.objects.bulk_create(rows)
    return len(rows)


def _courses(patient: Patient, today: date, user: User) -> int:
    rows = [
        TreatmentCourse(
            patient=patient,
            kind=kind,
            name=name,
            dose_text=dose,
            start=today + timedelta(days=begin),
            end=None if finish is None else today + timedelta(days=finish),
            created_by=user,
        )
        for kind, name, dose, begin, finish in DEMO_COURSES.get(patient.medical_record_number, ())
    ]
    TreatmentCourse.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def seed_treatments(today: date) -> dict[str, int]:
    """Give each demo patient without visits a diary, visits, ratings and other
    treatments; return how many of each were created (all 0 on a second run)."""
    ensure_treatment_catalogs()
    neurologist = User.objects.get(username="neurologist")
    counts = {"visits": 0, "diary_days": 0, "assessments": 0, "courses": 0}
    for history in DEMO_HISTORIES:
        patient = Patient.objects.filter(medical_record_number=history.mrn).first()
        if patient is None or patient.injections.exists():
            continue
        plan = plan_history(history)
        start = today - timedelta(days=plan.end + 1)  # the last diary day is yesterday
        counts["diary_days"] += _diary(patient, plan, start)
        visits = _visits(patient, plan, start, neurologist)
        counts["visits"] += len(visits)
        counts["assessments"] += _ratings(patient, plan, start, visits, neurologist)
        counts["courses"] += _courses(patient, today, neurologist)
        latest = visits[-1]
        cycle_profiles_mark_stale(patient_ids=[patient.pk])  # as a visit's service does
        transaction.on_commit(
            lambda visit=latest: injection_visit_changed.send(sender=InjectionVisit, visit=visit)
        )
    return counts
