"""The severity timeline's caption states every expected timeline its cycles were compared
with: after a product switch the chart shows cycles of both products, each analysed
against its own product's timeline, and the caption must not name only the current one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.treatments.timeline_factories import dysport_cervical, visit_with_units

pytestmark = pytest.mark.django_db

BOTOX = "Botox, cervical dystonia: onset 3–7–14 days, peak 4–6 weeks"
DYSPORT = "Dysport, cervical dystonia: onset 3–7–14 days, peak 2–4 weeks"


def timeline_caption(html: str) -> str:
    found = re.search(
        r'<figcaption id="chart-timeline-caption"[^>]*>(.*?)</figcaption>', html, re.S
    )
    return strip_tags(found.group(1))


@pytest.fixture
def switched(patient_record):
    """A Botox visit 300 days ago, then Dysport 200 days ago: both in the last year."""
    today = timezone.localdate()
    visit_with_units(patient_record, today - timedelta(days=300), [100, 100])
    visit_with_units(
        patient_record, today - timedelta(days=200), [250, 250], dysport_cervical().product
    )
    return patient_record


def test_the_neurologists_timeline_names_both_products_timelines(
    client, treating_neurologist, switched
):
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:chart", args=[switched.uuid])).content.decode()
    caption = timeline_caption(html)
    assert BOTOX in caption and DYSPORT in caption


def test_the_patients_timeline_names_both_products_timelines(client, patient, switched):
    client.force_login(patient)
    html = client.get(reverse("treatments:my_chart")).content.decode()
    caption = timeline_caption(html)
    assert BOTOX in caption and DYSPORT in caption


def test_a_range_with_one_products_cycles_names_that_timeline_only(
    client, treating_neurologist, switched
):
    # Six months: only the Dysport cycle is shown (the Botox one ended 201 days ago).
    client.force_login(treating_neurologist)
    url = reverse("treatments:chart", args=[switched.uuid])
    caption = timeline_caption(client.get(url, {"range": "6m"}).content.decode())
    assert DYSPORT in caption and BOTOX not in caption


@pytest.mark.parametrize("who", ["treating_neurologist", "patient"])
def test_every_figure_says_where_its_information_is_given_as_text(request, client, who, switched):
    """A figure is one image to a screen reader: its caption points to the words or table
    beside it that say the same (WCAG 1.1.1), the side-by-side cycles as well."""
    client.force_login(request.getfixturevalue(who))
    if who == "patient":
        url = reverse("treatments:my_chart")
    else:
        url = reverse("treatments:chart", args=[switched.uuid])
    html = client.get(url).content.decode()
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)
    assert len(captions) >= 2
    pointers = re.compile(r"in words|as text|in the table|the table (above|below)")
    assert [strip_tags(c) for c in captions if not pointers.search(strip_tags(c))] == []
