"""A clinic session of one product in two indications (Botox into the neck for cervical
dystonia and into the eyelids for blepharospasm, the same day): the chart's cycle table,
its sentences and the injection marks must say which units went where, not
"Botox + Botox, 240 U Botox + 5 U Botox"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.treatments.factories import visit_with_sites
from treatments.models import Indication

pytestmark = pytest.mark.django_db


def test_the_session_names_each_visits_indication(client, treating_neurologist, patient_record):
    day = timezone.localdate() - timedelta(days=20)
    visit_with_sites(patient_record, date=day, sites=(("sternocleidomastoid", "left", "240"),))
    visit_with_sites(
        patient_record,
        date=day,
        indication=Indication.BLEPHAROSPASM,
        sites=(("orbicularis-oculi-pretarsal", "left", "5"),),
    )
    client.force_login(treating_neurologist)
    page = client.get(reverse("treatments:chart", args=[patient_record.uuid])).content.decode()
    text = " ".join(strip_tags(page).split())
    assert "Botox + Botox" not in text
    assert "240 U Botox for cervical dystonia + 5 U Botox for blepharospasm" in text
