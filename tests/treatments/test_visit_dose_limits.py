"""Dose limits the catalog states (TIMELINE.md) and the confirmation they call for.

The app never suggests a dose, but a total above the usual maximum, or a site above the
usual maximum per site, needs the neurologist's explicit, stored confirmation (DESIGN §2,
README "Neurologists").
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.treatments.factories import muscle, product, visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit
from treatments.services.visits import SiteInput, VisitInput, visit_correct, visit_create

pytestmark = pytest.mark.django_db


def create_url(patient) -> str:
    return reverse("treatments:visit_create", args=[patient.uuid])


def test_botox_for_blepharospasm_above_200_units_within_30_days_needs_a_confirmation(
    client, patient_record, treating_neurologist
):
    """TIMELINE.md: Botox for blepharospasm, "at most 200 U in 30 days" (the catalog row's
    maximum says so: "Maximum = label's 200 U in 30 days"). 150 U twenty days after 150 U
    of the same product is 300 U in 30 days: it is saved without any confirmation."""
    _earlier_blepharospasm_visit(patient_record, days_ago(21))
    client.force_login(treating_neurologist)
    data = visit_payload(
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", "150", "10"),),
        early_reason="Spasms back after three weeks",
    )
    response = client.post(create_url(patient_record), data)
    assert InjectionVisit.objects.filter(date=days_ago(1)).count() == 0
    assert response.status_code == 200
    assert "usual maximum" in response.content.decode()


@pytest.mark.parametrize("box", ["over_maximum_confirmed", "over_site_maximum_confirmed"])
def test_a_correction_does_not_come_with_a_confirmation_already_ticked(
    client, patient_record, treating_neurologist, box
):
    """The confirmation is of one total (350 U Botox here) or of one visit's sites. The
    correction page came back with the box already ticked, so a corrected total of any
    size (3500 U after a slipped zero) was saved as "confirmed" without the neurologist
    being asked about it."""
    visit = visit_with_sites(
        patient_record,
        date=days_ago(10),
        sites=(("sternocleidomastoid", "left", "350"),),
        over_maximum_confirmed=True,
        over_site_maximum_confirmed=True,
    )
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_edit", args=[patient_record.uuid, visit.uuid])
    page = client.get(url).content.decode()
    tag = re.search(rf'<input[^>]*name="{box}"[^>]*>', page).group(0)
    assert " checked" not in tag


@pytest.mark.parametrize(
    ("indication", "muscle_code"),
    [
        ("spasmodic_dysphonia", "thyroarytenoid"),
        ("oromandibular", "masseter"),
        ("limb", "flexor-carpi-radialis"),
    ],
)
def test_an_absurd_total_is_not_saved_unconfirmed_where_the_catalog_has_no_maximum(
    client, patient_record, treating_neurologist, indication, muscle_code
):
    """Where the catalog leaves the dose to the clinician (no maximum per session), any
    total up to 99,999.99 U is recorded without a single question: 5000 U of Botox into
    one muscle, e.g. a thyroarytenoid (TIMELINE.md: 1.25-2.5 U per vocal fold; Botox's
    highest catalog maximum is 300 U), goes through as typed ("5000" for "5.000")."""
    client.force_login(treating_neurologist)
    data = visit_payload(indication=indication, sites=((muscle_code, "left", "5000", "1"),))
    response = client.post(create_url(patient_record), data)
    assert InjectionVisit.objects.count() == 0
    assert response.status_code == 200


def _earlier_blepharospasm_visit(patient_record, day) -> None:
    visit_with_sites(
        patient_record,
        date=day,
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", "150"),),
    )


def _blepharospasm_visit(client, patient_record, units: str, **fields):
    data = visit_payload(
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", units, "10"),),
        early_reason="Spasms back after three weeks",
        **fields,
    )
    return client.post(create_url(patient_record), data)


def test_the_thirty_day_total_is_named_and_can_be_confirmed(
    client, patient_record, treating_neurologist
):
    _earlier_blepharospasm_visit(patient_record, days_ago(21))
    client.force_login(treating_neurologist)
    response = _blepharospasm_visit(client, patient_record, "60")
    (message,) = response.context["entry"].form.errors["over_maximum_confirmed"]
    assert message == (
        "With the patient's other Botox visits for blepharospasm within 30 days, this makes "
        "210 U Botox in 30 days, above the usual maximum of 200 U. Tick the box to confirm "
        "this total."
    )
    confirmed = _blepharospasm_visit(client, patient_record, "60", over_maximum_confirmed="on")
    assert confirmed.status_code == 302
    assert InjectionVisit.objects.get(date=days_ago(1)).over_maximum_confirmed is True


def test_a_visit_thirty_days_after_another_starts_a_new_span(
    client, patient_record, treating_neurologist
):
    _earlier_blepharospasm_visit(patient_record, days_ago(31))
    client.force_login(treating_neurologist)
    response = _blepharospasm_visit(client, patient_record, "150")
    assert response.status_code == 302  # day 31 is outside the 30 days (30 days apart)
    assert InjectionVisit.objects.get(date=days_ago(1)).over_maximum_confirmed is False


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ([], "50"),
        ([(-29, "100"), (29, "100")], "150"),  # each within 30 days, never both at once
        ([(-10, "100"), (10, "100")], "250"),
        ([(-30, "500"), (30, "500")], "50"),
    ],
)
def test_the_largest_total_in_any_span_holding_the_visit(others, expected):
    from datetime import date, timedelta
    from decimal import Decimal

    from treatments.services.visits import largest_total_in_span

    day = date(2026, 5, 1)
    dated = [(day + timedelta(days=offset), Decimal(units)) for offset, units in others]
    assert largest_total_in_span(day, Decimal("50"), dated, 30) == Decimal(expected)


# The usual maximum per site (TIMELINE.md: Botox for cervical dystonia, "at most 50 U per
# site"): its own box and its own stored confirmation, from the visit's own product's row.

SITE_MESSAGE = (
    "60 U Botox into Sternocleidomastoid (left) is above the usual at most 50 U Botox per "
    "site for cervical dystonia. Tick the box to confirm the units of this site."
)


def _visit(product_code: str = "botox", indication: str = "cervical", **flags) -> VisitInput:
    return VisitInput(
        date=days_ago(1),
        indication=indication,
        product=product(product_code),
        lot_number="C1234AB",
        dilution_units_per_ml=Decimal("50"),
        guidance="emg",
        **flags,
    )


def _site(
    units: str, code: str = "sternocleidomastoid", side: str = "left", points: int = 1
) -> SiteInput:
    return SiteInput(muscle=muscle(code), side=side, units=Decimal(units), points=points)


def _refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        visit_create(**kwargs)
    return refused.value.message_dict


def test_a_site_above_the_maximum_per_site_is_refused_without_its_confirmation(
    patient_record, treating_neurologist
):
    errors = _refusal(
        patient=patient_record, injector=treating_neurologist, visit=_visit(), sites=[_site("60")]
    )
    assert errors == {"over_site_maximum_confirmed": [SITE_MESSAGE]}
    assert InjectionVisit.objects.count() == 0


def test_a_confirmed_site_above_the_maximum_per_site_is_saved_and_the_confirmation_stored(
    patient_record, treating_neurologist
):
    visit = visit_create(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(over_site_maximum_confirmed=True),
        sites=[_site("60")],
    )
    visit.refresh_from_db()
    assert visit.over_site_maximum_confirmed is True
    assert visit.over_maximum_confirmed is False  # 60 U is within the session's 300 U


def test_exactly_the_maximum_per_site_needs_no_confirmation_and_stores_none(
    patient_record, treating_neurologist
):
    visit = visit_create(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(over_site_maximum_confirmed=True),  # ticked, but nothing to confirm
        sites=[_site("50"), _site("50", side="right")],
    )
    visit.refresh_from_db()
    assert visit.over_site_maximum_confirmed is False


def test_the_total_confirmation_does_not_confirm_a_site(patient_record, treating_neurologist):
    """Two rules, two boxes: ticking "a total above the maximum" says nothing of a site."""
    errors = _refusal(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(over_maximum_confirmed=True),
        sites=[_site("60")],
    )
    assert errors == {"over_site_maximum_confirmed": [SITE_MESSAGE]}


def test_every_site_above_the_maximum_per_site_is_named(patient_record, treating_neurologist):
    sites = [_site("60"), _site("40", "trapezius", "right"), _site("75", "procerus", "midline")]
    errors = _refusal(
        patient=patient_record, injector=treating_neurologist, visit=_visit(), sites=sites
    )
    assert errors["over_site_maximum_confirmed"] == [
        "60 U Botox into Sternocleidomastoid (left) and 75 U Botox into Procerus are above "
        "the usual at most 50 U Botox per site for cervical dystonia. Tick the box to confirm "
        "the units of these sites."
    ]


def test_the_maximum_per_site_is_per_injection_point(patient_record, treating_neurologist):
    """A row is a muscle and side injected at ``points`` points: the label's "per site" is
    per injection point, so 120 U in 3 points (40 U each) is within it."""
    visit = visit_create(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(),
        sites=[_site("120", points=3)],
    )
    assert visit.over_site_maximum_confirmed is False


def test_a_site_above_the_maximum_per_point_names_its_points(patient_record, treating_neurologist):
    errors = _refusal(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(),
        sites=[_site("125", points=2)],
    )
    assert errors["over_site_maximum_confirmed"] == [
        "125 U Botox in 2 points into Sternocleidomastoid (left) (62.5 U per point) is above "
        "the usual at most 50 U Botox per site for cervical dystonia. Tick the box to confirm "
        "the units of this site."
    ]


def test_a_dysport_site_is_not_checked_against_botoxs_maximum_per_site(
    patient_record, treating_neurologist
):
    """Units are the product's own: 60 U Dysport in cervical dystonia is read against
    Dysport's row (no maximum per site), never against Botox's 50 U."""
    visit = visit_create(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit("dysport"),
        sites=[_site("60")],
    )
    assert visit.over_site_maximum_confirmed is False


@pytest.mark.parametrize(
    ("indication", "muscle_code"),
    [
        ("blepharospasm", "orbicularis-oculi-pretarsal"),  # "1.25-2.5 U per site": no maximum
        ("oromandibular", "masseter"),
        ("limb", "flexor-carpi-radialis"),
    ],
)
def test_a_site_in_an_indication_without_a_maximum_per_site_is_not_checked(
    patient_record, treating_neurologist, indication, muscle_code
):
    visit = visit_create(
        patient=patient_record,
        injector=treating_neurologist,
        visit=_visit(indication=indication),
        sites=[_site("60", muscle_code)],
    )
    assert visit.over_site_maximum_confirmed is False


def test_a_correction_follows_the_rule_per_site(patient_record, treating_neurologist):
    """A correction is confirmed anew: a stored confirmation was of the stored sites."""
    visit = visit_with_sites(
        patient_record,
        date=days_ago(1),
        sites=(("sternocleidomastoid", "left", "60"),),
        over_site_maximum_confirmed=True,
    )
    kwargs = {"visit": visit, "user": treating_neurologist, "reason": "Units misread"}
    with pytest.raises(ValidationError) as refused:
        visit_correct(changes=_visit(), sites=[_site("65")], **kwargs)
    assert "65 U Botox into Sternocleidomastoid (left)" in str(refused.value)
    corrected = visit_correct(
        changes=_visit(over_site_maximum_confirmed=True), sites=[_site("65")], **kwargs
    )
    assert corrected.over_site_maximum_confirmed is True
    within = visit_correct(changes=_visit(), sites=[_site("45")], **kwargs)
    within.refresh_from_db()
    assert within.over_site_maximum_confirmed is False


def test_the_form_shows_the_message_next_to_its_box_and_saves_nothing(
    client, patient_record, treating_neurologist
):
    client.force_login(treating_neurologist)
    data = visit_payload(sites=(("sternocleidomastoid", "left", "60", "1"),))
    response = client.post(create_url(patient_record), data)
    assert response.status_code == 200
    assert InjectionVisit.objects.count() == 0
    page = response.content.decode()
    feedback = re.search(
        r'<div id="id_over_site_maximum_confirmed_error"[^>]*>(.*?)</div>', page, re.S
    )
    assert feedback is not None
    assert SITE_MESSAGE in feedback.group(1)
    assert 'id="id_over_maximum_confirmed_error"' not in page
    box = re.search(r'<input[^>]*name="over_site_maximum_confirmed"[^>]*>', page).group(0)
    assert "is-invalid" in box
    confirmed = client.post(
        create_url(patient_record), data | {"over_site_maximum_confirmed": "on"}
    )
    assert confirmed.status_code == 302
    assert InjectionVisit.objects.get().over_site_maximum_confirmed is True
