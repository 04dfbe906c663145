"""A clinic session with the same product for several indications (Botox for cervical
dystonia and for blepharospasm are two visits on one date): each visit's page shows the
product's total for the session, by indication. Only the same product's units are added,
never another product's; a visit entered in error is left out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import product, visit_with_sites
from tests.treatments.helpers import days_ago
from treatments.models import Indication

pytestmark = pytest.mark.django_db
DAY = days_ago(5)
NECK = (("sternocleidomastoid", "left", 60), ("splenius-capitis", "right", 140))  # 200 U
EYES = (("orbicularis-oculi-pretarsal", "left", 25), ("orbicularis-oculi-pretarsal", "right", 25))


def page(client, visit) -> str:
    url = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    return client.get(url).content.decode()


def session_total(html: str) -> str:
    """The text of the session's total row ('' when the page has none)."""
    match = re.search(r'<tr id="session-product-total">(.*?)</tr>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


@pytest.fixture
def session(patient_record):
    neck = visit_with_sites(patient_record, date=DAY, sites=NECK)
    eyes = visit_with_sites(
        patient_record, date=DAY, sites=EYES, indication=Indication.BLEPHAROSPASM
    )
    return neck, eyes


def test_each_visit_shows_the_products_session_total(client, treating_neurologist, session):
    client.force_login(treating_neurologist)
    for visit in session:
        row = session_total(page(client, visit))
        assert "250 U Botox" in row
        assert "Cervical dystonia 200 U Botox" in row and "Blepharospasm 50 U Botox" in row


def test_another_products_units_are_never_added(
    client, treating_neurologist, patient_record, session
):
    neck, _eyes = session
    visit_with_sites(
        patient_record, date=DAY, product=product("dysport"), indication=Indication.LIMB,
        sites=(("flexor-carpi-radialis", "left", 300),),
    )  # fmt: skip
    client.force_login(treating_neurologist)
    row = session_total(page(client, neck))
    assert "250 U Botox" in row
    assert "Dysport" not in row and "550" not in row


def test_a_visit_alone_in_its_session_has_no_session_row(
    client, treating_neurologist, patient_record
):
    alone = visit_with_sites(patient_record, date=DAY, sites=NECK)
    client.force_login(treating_neurologist)
    assert session_total(page(client, alone)) == ""


def test_a_visit_entered_in_error_is_left_out(client, treating_neurologist, session):
    neck, eyes = session
    eyes.entered_in_error, eyes.entered_in_error_reason = True, "wrong patient"
    eyes.save()
    client.force_login(treating_neurologist)
    assert session_total(page(client, neck)) == ""
