"""A visit's history shows the values a correction replaced, not only the fields' names.

A lot number is recorded for recalls: after a correction ("Lot misread") the clinic must
still read which lot was first recorded. So each changed field of a "Visit changed" line
reads "Lot number: C1234AB → D9999ZZ", formatted as the visit page shows it (dates, the
product's brand name, choice labels, the dilution in its own product's units), and the
"Visit created" line shows the values first recorded.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, product_change_checked, visit_payload
from treatments.selectors.visits import HistoryLine, visit_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(lot_visit):
    return lot_visit


def shown(day: date) -> str:
    """A date as the visit page writes it ("5 Nov 2026")."""
    return f"{day.day} {day:%b %Y}"


def correct(
    client,
    visit,
    reason: str = "Lot misread",
    sites=(("sternocleidomastoid", "left", "50", "2"),),
    **fields,
) -> None:
    values = {"date": days_ago(10).isoformat(), "change_reason": reason} | fields
    if "product_code" in fields:  # a product change, as saved once it was asked about
        values |= product_change_checked(fields["product_code"])
    payload = visit_payload(sites=sites, **values)
    edit = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    assert client.post(edit, payload).status_code == 302


def to_dysport(client, visit) -> None:
    """Correct the visit's product to Dysport, 200 U/mL, its site to 150 U."""
    correct(
        client,
        visit,
        reason="Wrong product chosen",
        product_code="dysport",
        dilution_units_per_ml="200",
        sites=(("sternocleidomastoid", "left", "150", "2"),),
    )


def the_line(visit, what: str) -> HistoryLine:
    [line] = [line for line in visit_history(visit) if line.what == what]
    return line


def test_a_lot_correction_shows_the_lot_before_and_after_with_who_and_why(
    client, treating_neurologist, visit
):
    client.force_login(treating_neurologist)
    correct(client, visit, lot_number="D9999ZZ")

    line = the_line(visit, "Visit changed")
    assert "Lot number: C1234AB → D9999ZZ" in line.detail
    assert line.reason == "Lot misread"
    assert line.who == treating_neurologist.get_full_name()


def test_date_expiry_and_guidance_are_shown_as_on_the_page(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    expiry = date(2099, 3, 1)
    correct(
        client,
        visit,
        reason="Typed from the wrong sheet",
        date=days_ago(11).isoformat(),
        lot_expiry=expiry.isoformat(),
        guidance="ultrasound",
    )

    detail = the_line(visit, "Visit changed").detail
    assert f"Date: {shown(days_ago(10))} → {shown(days_ago(11))}" in detail
    assert f"Lot expiry: — → {shown(expiry)}" in detail
    assert "Guidance: EMG → Ultrasound" in detail


def test_a_product_correction_names_both_products_and_each_dilution_in_its_own_units(
    client, treating_neurologist, visit
):
    client.force_login(treating_neurologist)
    to_dysport(client, visit)

    detail = the_line(visit, "Visit changed").detail
    assert "Product: Botox → Dysport" in detail
    assert "Dilution: 50 U Botox per mL → 200 U Dysport per mL" in detail


def test_long_notes_are_shortened_both_before_and_after(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    correct(client, visit, reason="Notes completed", notes="Neck pain better. " * 20)

    detail = the_line(visit, "Visit changed").detail
    assert "Notes: — → Neck pain better. Neck pain better." in detail
    assert "…" in detail
    assert len(detail) < 200


def test_the_created_line_shows_the_values_first_recorded(visit):
    detail = the_line(visit, "Visit created").detail
    assert "Lot number: C1234AB" in detail
    assert "Product: Botox" in detail
    assert "Dilution: 50 U Botox per mL" in detail
    assert "Guidance: EMG" in detail
    assert f"Date: {shown(days_ago(10))}" in detail


def test_the_page_shows_the_replaced_lot_in_its_history(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    correct(client, visit, lot_number="D9999ZZ")

    detail = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    page = client.get(detail).content.decode()
    history = page[page.index('id="visit-history"') :]
    assert "Lot number: C1234AB → D9999ZZ" in history


def test_the_values_cost_no_query_per_record(
    client, treating_neurologist, visit, django_assert_num_queries
):
    """Product, injector and author names come with the visit's records: two queries (the
    visit's records, the sites' records) however many corrections there are."""
    client.force_login(treating_neurologist)
    for number, (code, dilution, units) in enumerate(
        (("dysport", "200", "150"), ("botox", "50", "50"), ("dysport", "200", "120"))
    ):
        sites = (("sternocleidomastoid", "left", units, "2"),)
        correct(
            client,
            visit,
            product_code=code,
            dilution_units_per_ml=dilution,
            lot_number=f"D{number}",
            sites=sites,
        )
    visit = type(visit).objects.select_related("product").get(pk=visit.pk)

    with django_assert_num_queries(2):
        history = visit_history(visit)
    assert [line.what for line in history].count("Visit changed") == 3


def test_a_site_of_one_point_reads_point_not_points(patient_record, treating_neurologist):
    one = visit_with_sites(patient_record, date=days_ago(5), injector=treating_neurologist)
    one.sites.update(points=1)
    site = one.sites.get()
    site.save()  # a history record with one point
    texts = [line.detail for line in visit_history(one)]
    assert any(text.endswith("in 1 point") for text in texts), texts
    assert not any("in 1 points" in text for text in texts)


def test_a_site_change_shows_the_units_and_points_before_and_after(
    client, treating_neurologist, visit
):
    client.force_login(treating_neurologist)
    correct(
        client, visit, reason="Units misread", sites=(("sternocleidomastoid", "left", "60", "3"),)
    )

    line = the_line(visit, "Site changed")
    assert (
        line.detail == "Sternocleidomastoid, left: 50 U Botox in 2 points → 60 U Botox in 3 points"
    )
    assert line.reason == "Units misread"


def test_a_site_change_with_the_product_names_each_side_with_its_own_product(
    client, treating_neurologist, visit
):
    """Units of two products are shown side by side, each named, never compared."""
    client.force_login(treating_neurologist)
    to_dysport(client, visit)
    assert the_line(visit, "Site changed").detail == (
        "Sternocleidomastoid, left: 50 U Botox in 2 points → 150 U Dysport in 2 points"
    )
