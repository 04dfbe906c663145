"""The treatment catalogs (DESIGN §2, TIMELINE.md): toxin products, their expected
timelines per indication, and injectable muscles by body region.

One list, loaded by the data migration and by tests (live-server tests flush migration
data). Loading only *creates* missing rows: a value an administrator edited in the admin
is never overwritten by a later load (``seed_demo`` calls it on every run). A field added
later is filled into the rows already stored by its own migration, once
(``fill_site_maxima``).

Units are specific to each product: nothing here converts between products.
"""

from __future__ import annotations

from dataclasses import dataclass

# Indication codes as stored (treatments.models.Indication); plain strings so that a
# migration can use this module without importing the models.
CERVICAL = "cervical"
BLEPHAROSPASM = "blepharospasm"
SPASMODIC_DYSPHONIA = "spasmodic_dysphonia"
OROMANDIBULAR = "oromandibular"
LIMB = "limb"


@dataclass(frozen=True)
class ProductSpec:
    code: str
    generic_name: str
    brand_name: str
    serotype: str


@dataclass(frozen=True)
class TimelineSpec:
    """Expected effect of one product for one indication; ranges are (low, typical, high)."""

    product: str
    indication: str
    onset_days: tuple[int, int, int]
    peak_weeks: tuple[int, int]
    duration_weeks: tuple[int, int, int]
    min_interval_weeks: int | None
    usual_dose: str
    max_units_per_session: int | None
    source: str
    # Only where TIMELINE.md states one ("at most 50 U per site"); None: no check per site.
    max_units_per_site: int | None = None


PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec("botox", "onabotulinumtoxinA", "Botox", "A"),
    ProductSpec("dysport", "abobotulinumtoxinA", "Dysport", "A"),
    ProductSpec("xeomin", "incobotulinumtoxinA", "Xeomin", "A"),
    ProductSpec("myobloc", "rimabotulinumtoxinB", "Myobloc/NeuroBloc", "B"),
    ProductSpec("daxxify", "daxibotulinumtoxinA", "Daxxify", "A"),
)

_LABELS = "Product pages and prescribing information summaries (TIMELINE.md)"
_CURVE = "Comella 2021 J Neurol (curve shape)"
_ANY_A = "TIMELINE.md 'any type A' row; dose set by the clinician (units are product-specific)"
# daxibotulinumtoxinA for cervical dystonia: re-treatment no sooner than every 12 weeks, as
# for every type A toxin. Sources: Daxxify prescribing information (Revance, Aug 2023), as
# payers apply it ("at least 3 months since the last treatment", prior-authorization
# criteria GL-150068 citing it); ASPEN-1/ASPEN-OLS re-treated at 12 weeks at the earliest
# (Comella 2024); the >= 12-week standard for type A toxins in cervical dystonia (Evidente &
# Pappert 2014, Tremor Other Hyperkinet Mov; Poliziani 2016, Patient Prefer Adherence).
# The longer benefit (20-28 weeks) does not lengthen the minimum: it is the earliest date.
DAXXIFY_MIN_INTERVAL_WEEKS = 12
_DAXXIFY_INTERVAL = (
    "Minimum interval 12 weeks: Daxxify prescribing information (Aug 2023) as payers apply "
    "it (3 months or more); ASPEN-OLS re-treated at 12 weeks at the earliest."
)
_DAXXIFY_OFF_LABEL = (
    " Daxxify is labelled for cervical dystonia only: the 'any type A' defaults, not its "
    "longer cervical duration, until the clinic sets its own."
)

# The type A products of TIMELINE.md's "any type A" rows, with their cervical dystonia peak
# (weeks), which those rows take ("as cervical").
_TYPE_A_PEAKS: tuple[tuple[str, tuple[int, int]], ...] = (
    ("botox", (4, 6)),
    ("dysport", (2, 4)),
    ("xeomin", (4, 6)),
    ("daxxify", (4, 6)),
)
_TYPE_A = tuple(code for code, _ in _TYPE_A_PEAKS)


def _off_label(code: str) -> str:
    """The note on an 'any type A' row of a product not labelled for it (Daxxify)."""
    return _DAXXIFY_OFF_LABEL if code == "daxxify" else ""


TIMELINES: tuple[TimelineSpec, ...] = (
    TimelineSpec(
        "botox",
        CERVICAL,
        (3, 7, 14),
        (4, 6),
        (10, 12, 16),
        12,
        "median 236 U (198–300); at most 50 U per site",
        300,
        f"{_LABELS}; Brashear 2005; {_CURVE}. Maximum = upper end of the usual range.",
        max_units_per_site=50,
    ),
    TimelineSpec(
        "botox",
        BLEPHAROSPASM,
        (1, 3, 7),
        (1, 2),
        (8, 12, 14),
        12,
        "1.25–2.5 U per site; at most 200 U in 30 days",
        200,
        f"{_LABELS}; Fezza 2016. Maximum = label's 200 U in 30 days.",
    ),
    TimelineSpec(
        "dysport",
        CERVICAL,
        (3, 7, 14),
        (2, 4),
        (12, 14, 16),
        12,
        "500 U to start, 250–1000 U",
        1000,
        f"{_LABELS}; {_CURVE}. Maximum = upper end of the usual range.",
    ),
    TimelineSpec(
        "xeomin",
        CERVICAL,
        (3, 7, 14),
        (4, 6),
        (10, 12, 16),
        12,
        "120 U to start (minimum interval 10 weeks in the EU)",
        400,
        f"{_LABELS}; {_CURVE}. Maximum = label's 400 U per session.",
    ),
    TimelineSpec(
        "xeomin",
        BLEPHAROSPASM,
        (1, 3, 7),
        (1, 2),
        (8, 12, 14),
        12,
        "about 33 U per eye (10–50)",
        100,
        f"{_LABELS}; Fezza 2016. Maximum = 50 U per eye, both eyes.",
    ),
    TimelineSpec(
        "myobloc",
        CERVICAL,
        (7, 14, 14),
        (4, 6),
        (12, 14, 16),
        12,
        "2500–5000 U",
        5000,
        f"{_LABELS}. Maximum = upper end of the usual range.",
    ),
    TimelineSpec(
        "daxxify",
        CERVICAL,
        (3, 7, 14),
        (4, 6),
        (20, 24, 28),
        DAXXIFY_MIN_INTERVAL_WEEKS,
        "125–250 U",
        250,
        f"{_LABELS}; Comella 2024 Neurology (ASPEN-1). Maximum = upper end of the usual range. "
        f"{_DAXXIFY_INTERVAL}",
    ),
    *(
        TimelineSpec(
            code,
            SPASMODIC_DYSPHONIA,
            (1, 2, 3),
            (1, 2),
            (12, 14, 16),
            12,
            "1.25–2.5 U per vocal fold" if code == "botox" else "set by the clinician",
            None,
            f"{_ANY_A}; Whurr 1993.{_off_label(code)}",
        )
        for code in _TYPE_A
    ),
    *(
        TimelineSpec(
            code,
            OROMANDIBULAR,
            (3, 7, 14),
            peak,
            (9, 16, 23),
            12,
            "set by the clinician",
            None,
            f"{_ANY_A}; onset and peak as cervical dystonia; Tan & Jankovic 1999."
            f"{_off_label(code)}",
        )
        for code, peak in _TYPE_A_PEAKS
    ),
    *(
        TimelineSpec(
            code,
            LIMB,
            (3, 7, 14),
            peak,
            (10, 12, 16),
            12,
            "set by the clinician",
            None,
            f"{_ANY_A}; onset and peak as cervical dystonia.{_off_label(code)}",
        )
        for code, peak in _TYPE_A_PEAKS
    ),
)

# (code, name, body region code, paired: injected on the left or right side)
MUSCLES: tuple[tuple[str, str, str, bool], ...] = (
    # eyelids and upper face
    ("orbicularis-oculi-pretarsal", "Orbicularis oculi, pretarsal part", "eyelids", True),
    ("orbicularis-oculi-preseptal", "Orbicularis oculi, preseptal part", "eyelids", True),
    ("orbicularis-oculi-orbital", "Orbicularis oculi, orbital part", "eyelids", True),
    ("corrugator", "Corrugator supercilii", "eyelids", True),
    ("procerus", "Procerus", "eyelids", False),
    ("frontalis", "Frontalis", "eyelids", True),
    # lower face and jaw
    ("masseter", "Masseter", "lower-face-jaw", True),
    ("temporalis", "Temporalis", "lower-face-jaw", True),
    ("lateral-pterygoid", "Lateral pterygoid", "lower-face-jaw", True),
    ("medial-pterygoid", "Medial pterygoid", "lower-face-jaw", True),
    ("digastric-submentalis", "Digastric / submentalis complex", "lower-face-jaw", False),
    ("orbicularis-oris", "Orbicularis oris", "lower-face-jaw", False),
    ("depressor-anguli-oris", "Depressor anguli oris", "lower-face-jaw", True),
    ("mentalis", "Mentalis", "lower-face-jaw", False),
    ("platysma", "Platysma", "lower-face-jaw", True),
    # tongue
    ("genioglossus", "Genioglossus", "tongue", False),
    # larynx
    ("thyroarytenoid", "Thyroarytenoid", "larynx", True),
    ("lateral-cricoarytenoid", "Lateral cricoarytenoid", "larynx", True),
    ("posterior-cricoarytenoid", "Posterior cricoarytenoid", "larynx", True),
    # neck (cervical dystonia)
    ("sternocleidomastoid", "Sternocleidomastoid", "neck", True),
    ("splenius-capitis", "Splenius capitis", "neck", True),
    ("splenius-cervicis", "Splenius cervicis", "neck", True),
    ("trapezius", "Trapezius", "neck", True),
    ("levator-scapulae", "Levator scapulae", "neck", True),
    ("scalenes", "Scalenes", "neck", True),
    ("semispinalis-capitis", "Semispinalis capitis", "neck", True),
    ("longissimus", "Longissimus capitis", "neck", True),
    ("obliquus-capitis-inferior", "Obliquus capitis inferior", "neck", True),
    # shoulder
    ("deltoid", "Deltoid", "shoulder", True),
    ("rhomboids", "Rhomboids", "shoulder", True),
    ("pectoralis-major", "Pectoralis major", "shoulder", True),
    ("latissimus-dorsi", "Latissimus dorsi", "shoulder", True),
    ("teres-major", "Teres major", "shoulder", True),
    # arm and hand
    ("biceps-brachii", "Biceps brachii", "arm-hand", True),
    ("triceps-brachii", "Triceps brachii", "arm-hand", True),
    ("brachioradialis", "Brachioradialis", "arm-hand", True),
    ("pronator-teres", "Pronator teres", "arm-hand", True),
    ("pronator-quadratus", "Pronator quadratus", "arm-hand", True),
    ("flexor-carpi-radialis", "Flexor carpi radialis", "arm-hand", True),
    ("flexor-carpi-ulnaris", "Flexor carpi ulnaris", "arm-hand", True),
    ("flexor-digitorum-superficialis", "Flexor digitorum superficialis", "arm-hand", True),
    ("flexor-digitorum-profundus", "Flexor digitorum profundus", "arm-hand", True),
    ("flexor-pollicis-longus", "Flexor pollicis longus", "arm-hand", True),
    ("extensor-carpi-radialis", "Extensor carpi radialis", "arm-hand", True),
    ("extensor-carpi-ulnaris", "Extensor carpi ulnaris", "arm-hand", True),
    ("extensor-digitorum", "Extensor digitorum", "arm-hand", True),
    ("extensor-indicis", "Extensor indicis", "arm-hand", True),
    ("adductor-pollicis", "Adductor pollicis", "arm-hand", True),
    ("first-dorsal-interosseous", "First dorsal interosseous", "arm-hand", True),
    # trunk
    ("rectus-abdominis", "Rectus abdominis", "trunk", True),
    ("external-oblique", "External oblique", "trunk", True),
    ("erector-spinae", "Erector spinae (paraspinal)", "trunk", True),
    ("quadratus-lumborum", "Quadratus lumborum", "trunk", True),
    # leg and foot
    ("gastrocnemius", "Gastrocnemius", "leg-foot", True),
    ("soleus", "Soleus", "leg-foot", True),
    ("tibialis-anterior", "Tibialis anterior", "leg-foot", True),
    ("tibialis-posterior", "Tibialis posterior", "leg-foot", True),
    ("extensor-hallucis-longus", "Extensor hallucis longus", "leg-foot", True),
    ("flexor-digitorum-longus", "Flexor digitorum longus", "leg-foot", True),
    ("flexor-hallucis-longus", "Flexor hallucis longus", "leg-foot", True),
)


def _timeline_fields(spec: TimelineSpec, timeline_model) -> dict[str, object]:
    """The row's values, for the fields ``timeline_model`` has: an earlier migration's
    model lacks the fields added after it (their own migration fills them)."""
    onset, peak, duration = spec.onset_days, spec.peak_weeks, spec.duration_weeks
    values = {
        "onset_days_low": onset[0],
        "onset_days_typical": onset[1],
        "onset_days_high": onset[2],
        "peak_weeks_low": peak[0],
        "peak_weeks_high": peak[1],
        "duration_weeks_low": duration[0],
        "duration_weeks_typical": duration[1],
        "duration_weeks_high": duration[2],
        "min_interval_weeks": spec.min_interval_weeks,
        "usual_dose": spec.usual_dose,
        "max_units_per_session": spec.max_units_per_session,
        "max_units_per_site": spec.max_units_per_site,
        "source": spec.source,
    }
    known = {field.name for field in timeline_model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in known}


def load_treatment_catalogs(product_model, timeline_model, muscle_model, region_model) -> int:
    """Create the missing catalog rows; return how many were created.

    Takes the models so a migration can pass its historical ones. Existing rows are left
    exactly as they are (an administrator may have edited them). Body regions must be
    loaded first (patients.catalog).
    """
    created = load_timelines(product_model, timeline_model)
    regions = {region.code: region for region in region_model.objects.all()}
    for code, name, region_code, paired in MUSCLES:
        _, new = muscle_model.objects.get_or_create(
            code=code, defaults={"name": name, "region": regions[region_code], "paired": paired}
        )
        created += new
    return created


def load_timelines(product_model, timeline_model) -> int:
    """Create the missing products and expected timelines (not the muscles, which need the
    body regions); return how many were created. Existing rows are left as they are."""
    created = 0
    products = {}
    for spec in PRODUCTS:
        products[spec.code], new = product_model.objects.get_or_create(
            code=spec.code,
            defaults={
                "generic_name": spec.generic_name,
                "brand_name": spec.brand_name,
                "serotype": spec.serotype,
            },
        )
        created += new
    for spec in TIMELINES:
        _, new = timeline_model.objects.get_or_create(
            product=products[spec.product],
            indication=spec.indication,
            defaults=_timeline_fields(spec, timeline_model),
        )
        created += new
    return created


def fill_site_maxima(timeline_model) -> int:
    """Give the stored timelines the catalog's maximum per site where they have none;
    return how many rows were filled.

    For the migration that adds the field: a load creates missing rows only, so the rows
    already stored get the value here, once. A row the catalog gives no maximum per site
    stays empty.
    """
    filled = 0
    for spec in TIMELINES:
        if spec.max_units_per_site is None:
            continue
        filled += timeline_model.objects.filter(
            product__code=spec.product, indication=spec.indication, max_units_per_site=None
        ).update(max_units_per_site=spec.max_units_per_site)
    return filled


def fill_daxxify_interval(timeline_model) -> int:
    """Give the stored Daxxify cervical dystonia timeline its minimum interval where it has
    none (stored before the catalog gave one); return how many rows were filled.

    For the migration that adds it: a load creates missing rows only. A row an
    administrator gave another interval keeps it.
    """
    return timeline_model.objects.filter(
        product__code="daxxify", indication=CERVICAL, min_interval_weeks=None
    ).update(
        min_interval_weeks=DAXXIFY_MIN_INTERVAL_WEEKS,
        usual_dose="125–250 U",
        source=next(
            spec.source
            for spec in TIMELINES
            if (spec.product, spec.indication) == ("daxxify", CERVICAL)
        ),
    )


def ensure_treatment_catalogs() -> int:
    """Load the catalogs (and the body regions they need) into the current database."""
    from patients.catalog import ensure_body_regions
    from patients.models import BodyRegion
    from treatments.models import Muscle, ProductTimeline, ToxinProduct

    ensure_body_regions()
    return load_treatment_catalogs(ToxinProduct, ProductTimeline, Muscle, BodyRegion)
