"""The treatment catalogs: loaded by migration with TIMELINE.md's values, editable by
administrators in the admin, never overwritten by a later load."""

from __future__ import annotations

import pytest
from django.contrib import admin as admin_site
from django.urls import reverse

from treatments.catalog import (
    MUSCLES,
    PRODUCTS,
    TIMELINES,
    ensure_treatment_catalogs,
    fill_site_maxima,
)
from treatments.models import (
    Assessment,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    ToxinProduct,
    TreatmentCourse,
)
from treatments.signals import timeline_changed

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_every_row(catalogs):
    assert ToxinProduct.objects.count() == len(PRODUCTS) == 5
    assert ProductTimeline.objects.count() == len(TIMELINES)
    assert Muscle.objects.count() == len(MUSCLES)


@pytest.mark.parametrize(
    ("product", "indication", "onset", "peak", "duration", "interval", "maximum"),
    [
        ("botox", "cervical", (3, 7, 14), (4, 6), (10, 12, 16), 12, 300),
        ("botox", "blepharospasm", (1, 3, 7), (1, 2), (8, 12, 14), 12, 200),
        ("dysport", "cervical", (3, 7, 14), (2, 4), (12, 14, 16), 12, 1000),
        ("xeomin", "blepharospasm", (1, 3, 7), (1, 2), (8, 12, 14), 12, 100),
        ("myobloc", "cervical", (7, 14, 14), (4, 6), (12, 14, 16), 12, 5000),
        ("daxxify", "cervical", (3, 7, 14), (4, 6), (20, 24, 28), 12, 250),
        ("botox", "spasmodic_dysphonia", (1, 2, 3), (1, 2), (12, 14, 16), 12, None),
        ("dysport", "oromandibular", (3, 7, 14), (2, 4), (9, 16, 23), 12, None),
        ("xeomin", "limb", (3, 7, 14), (4, 6), (10, 12, 16), 12, None),
    ],
)
def test_timeline_values_follow_timeline_md(
    catalogs, product, indication, onset, peak, duration, interval, maximum
):
    t = ProductTimeline.objects.get(product__code=product, indication=indication)
    assert (t.onset_days_low, t.onset_days_typical, t.onset_days_high) == onset
    assert (t.peak_weeks_low, t.peak_weeks_high) == peak
    assert (t.duration_weeks_low, t.duration_weeks_typical, t.duration_weeks_high) == duration
    assert t.min_interval_weeks == interval
    assert t.max_units_per_session == maximum
    assert t.source


def test_botox_for_cervical_dystonia_carries_at_most_50_units_per_site(catalogs):
    """TIMELINE.md: "at most 50 U per site" for Botox in cervical dystonia, and for no
    other row (blepharospasm's "1.25-2.5 U per site" is a usual dose, not a maximum)."""
    row = ProductTimeline.objects.get(product__code="botox", indication="cervical")
    assert row.max_units_per_site == 50
    others = ProductTimeline.objects.exclude(pk=row.pk)
    assert set(others.values_list("max_units_per_site", flat=True)) == {None}


def test_the_migration_fills_the_rows_already_stored_and_keeps_an_edited_value(catalogs):
    """A load creates missing rows only: the rows stored before the field existed get it
    from ``fill_site_maxima`` (the migration's step), once; a value set since is kept."""
    botox = ProductTimeline.objects.filter(product__code="botox", indication="cervical")
    botox.update(max_units_per_site=None)  # as stored before the migration
    assert fill_site_maxima(ProductTimeline) == 1
    assert botox.get().max_units_per_site == 50
    botox.update(max_units_per_site=40)  # an administrator's edit
    assert fill_site_maxima(ProductTimeline) == 0
    assert botox.get().max_units_per_site == 40


@pytest.mark.parametrize(
    ("region", "codes"),
    [
        ("neck", {"sternocleidomastoid", "splenius-capitis", "trapezius", "levator-scapulae",
                  "scalenes", "semispinalis-capitis", "longissimus"}),
        ("eyelids", {"orbicularis-oculi-pretarsal", "orbicularis-oculi-preseptal",
                     "orbicularis-oculi-orbital", "corrugator", "procerus", "frontalis"}),
        ("lower-face-jaw", {"masseter", "temporalis", "lateral-pterygoid", "medial-pterygoid",
                            "digastric-submentalis"}),
        ("tongue", {"genioglossus"}),
        ("larynx", {"thyroarytenoid", "lateral-cricoarytenoid", "posterior-cricoarytenoid"}),
        ("arm-hand", {"flexor-carpi-radialis", "flexor-carpi-ulnaris",
                      "flexor-digitorum-superficialis", "flexor-digitorum-profundus",
                      "flexor-pollicis-longus", "extensor-carpi-radialis",
                      "extensor-carpi-ulnaris", "extensor-digitorum", "pronator-teres",
                      "biceps-brachii"}),
        ("leg-foot", {"gastrocnemius", "soleus", "tibialis-anterior", "tibialis-posterior",
                      "extensor-hallucis-longus", "flexor-digitorum-longus"}),
    ],
)  # fmt: skip
def test_muscles_by_region_include_the_issue_list(catalogs, region, codes):
    assert codes <= set(Muscle.objects.filter(region__code=region).values_list("code", flat=True))


def test_every_region_has_muscles(catalogs):
    from patients.models import BodyRegion

    assert not BodyRegion.objects.filter(muscles__isnull=True).exists()


def test_loading_again_creates_nothing_and_keeps_admin_edits(catalogs):
    ProductTimeline.objects.filter(product__code="botox", indication="cervical").update(
        max_units_per_session=350
    )
    assert ensure_treatment_catalogs() == 0
    edited = ProductTimeline.objects.get(product__code="botox", indication="cervical")
    assert edited.max_units_per_session == 350


def test_a_flushed_database_is_filled_again(catalogs):
    Muscle.objects.all().delete()
    ProductTimeline.objects.all().delete()
    ToxinProduct.objects.all().delete()
    assert ensure_treatment_catalogs() == len(PRODUCTS) + len(TIMELINES) + len(MUSCLES)


def test_admin_edits_a_timeline_and_the_analysis_hears_of_it(
    client, admin, catalogs, django_capture_on_commit_callbacks
):
    timeline = ProductTimeline.objects.get(product__code="botox", indication="cervical")
    client.force_login(admin)
    change = reverse("admin:treatments_producttimeline_change", args=[timeline.pk])
    form = client.get(change)
    assert form.status_code == 200
    data = {
        field: getattr(timeline, field) if getattr(timeline, field) is not None else ""
        for field in (
            "indication", "onset_days_low", "onset_days_typical", "onset_days_high",
            "peak_weeks_low", "peak_weeks_high", "duration_weeks_low", "duration_weeks_typical",
            "duration_weeks_high", "min_interval_weeks", "usual_dose", "source",
        )
    } | {"product": timeline.product_id, "max_units_per_session": 320}  # fmt: skip
    heard = []
    receiver = lambda sender, timeline, **kw: heard.append(timeline.pk)  # noqa: E731
    timeline_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(change, data)
    finally:
        timeline_changed.disconnect(receiver)
    assert response.status_code == 302, response.content.decode()[:2000]
    timeline.refresh_from_db()
    assert timeline.max_units_per_session == 320
    assert heard == [timeline.pk]
    assert timeline.history.first().history_user == admin


@pytest.mark.parametrize("persona", ["staff", "treating_neurologist"], indirect=True)
def test_only_administrators_reach_the_catalog_admin(client, persona, catalogs):
    client.force_login(persona)
    response = client.get(reverse("admin:treatments_toxinproduct_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_clinical_records_are_not_in_the_admin():
    for model in (InjectionVisit, Assessment, TreatmentCourse):
        assert not admin_site.site.is_registered(model)
    for model in (ToxinProduct, ProductTimeline, Muscle):
        assert admin_site.site.is_registered(model)


def test_catalog_rows_cannot_be_deleted_in_the_admin(client, admin, catalogs):
    client.force_login(admin)
    product = ToxinProduct.objects.get(code="botox")
    response = client.get(reverse("admin:treatments_toxinproduct_delete", args=[product.pk]))
    assert response.status_code == 403


def test_every_catalog_text_fits_its_column():
    # Merge review: Daxxify's cervical source grew to 302 characters; SQLite stores any
    # length, but PostgreSQL refused the catalog migration (varchar(300)) and every test.
    from treatments.catalog import TIMELINES
    from treatments.models import ProductTimeline

    limit = ProductTimeline._meta.get_field("source").max_length
    too_long = [
        (s.product, s.indication, len(s.source)) for s in TIMELINES if len(s.source) > limit
    ]
    assert too_long == []
