"""The chart page's injection table: each site's units name their own product, as every
units value in the app does (units of different products are never comparable, so a bare
"250 U" next to another product's rows is not shown)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.treatments.timeline_factories import dysport_cervical, visit_with_units

pytestmark = pytest.mark.django_db


def injection_rows(html: str) -> list[str]:
    """The text of each row of the chart's injection table, cells separated by " | "."""
    table = re.search(r'<caption id="injections-caption">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]  # the header row aside
    return [
        " | ".join(re.sub(r"\s+", " ", strip_tags(c)).strip() for c in re.split(r"</t[hd]>", r))
        for r in rows
    ]


def test_each_sites_units_name_the_visits_product(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    visit_with_units(patient_record, today - timedelta(days=200), [100, 60])
    visit_with_units(
        patient_record, today - timedelta(days=100), [250, 200], dysport_cervical().product
    )
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:chart", args=[patient_record.uuid])).content.decode()

    dysport_row, botox_row = injection_rows(html)
    dysport_sites = dysport_row.split(" | ")[4]
    botox_sites = botox_row.split(" | ")[4]
    assert re.fullmatch(r".*\(left\) 250 U Dysport; .*\(right\) 200 U Dysport", dysport_sites)
    assert re.fullmatch(r".*\(left\) 100 U Botox; .*\(right\) 60 U Botox", botox_sites)
