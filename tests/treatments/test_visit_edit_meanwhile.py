"""Two corrections of one visit from pages opened at the same time (two tabs, or two
neurologists of the care team): the later save must not silently undo the earlier one.

Every correction form posts the whole visit, so the page opened first still holds the
values from before the other correction; saving it put them back, and the history then
showed the undoing under the second correction's reason ("Lot number: D9999ZZ → C1234AB"
for "dilution misread"). A follow-up's booking is refused the same way when it was booked
meanwhile (``BookedMeanwhile``).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
SITES = (("sternocleidomastoid", "left", "50", "1"), ("splenius-capitis", "right", "40", "1"))


@pytest.fixture
def visit(patient_record, treating_neurologist) -> InjectionVisit:
    return visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        sites=(("sternocleidomastoid", "left", "50"), ("splenius-capitis", "right", "40")),
    )


def url(visit: InjectionVisit) -> str:
    return reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])


def hidden_fields(page: str) -> dict[str, str]:
    """What the page's form posts without the user typing it (its hidden inputs)."""
    return {name: value for name, value in HIDDEN.findall(page) if name != "csrfmiddlewaretoken"}


def typed(visit: InjectionVisit, **changes) -> dict:
    """The visit's values as recorded (what the page opened with), with ``changes`` typed."""
    recorded = {
        "date": visit.date.isoformat(),
        "lot_number": visit.lot_number,
        "dilution_units_per_ml": str(visit.dilution_units_per_ml),
        "guidance": visit.guidance,
    }
    return visit_payload(sites=SITES, **(recorded | changes))


def versions(visit: InjectionVisit) -> int:
    return visit.history.count()


def test_a_correction_from_a_page_opened_before_another_is_refused(
    client, treating_neurologist, visit
):
    client.force_login(treating_neurologist)
    recorded = InjectionVisit.objects.get(pk=visit.pk)
    first_tab = client.get(url(visit)).content.decode()
    second_tab = client.get(url(visit)).content.decode()

    lot = typed(recorded, lot_number="D9999ZZ", change_reason="Lot misread")
    assert client.post(url(visit), hidden_fields(second_tab) | lot).status_code == 302
    saved = versions(visit)

    dilution = typed(recorded, dilution_units_per_ml="25", change_reason="Dilution misread")
    response = client.post(url(visit), hidden_fields(first_tab) | dilution)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meanwhile this visit was corrected" in page
    assert "Nothing was saved" in page
    assert "Saved meanwhile" in page and "→ D9999ZZ" in page  # the change it would undo
    assert 'value="25"' in page  # what was typed is kept on the page
    visit.refresh_from_db()
    assert visit.lot_number == "D9999ZZ"
    assert visit.dilution_units_per_ml == 50
    assert versions(visit) == saved


def test_saving_again_from_the_refused_page_saves_it_knowingly(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    recorded = InjectionVisit.objects.get(pk=visit.pk)
    first_tab = client.get(url(visit)).content.decode()
    second_tab = client.get(url(visit)).content.decode()
    lot = typed(recorded, lot_number="D9999ZZ", change_reason="Lot misread")
    client.post(url(visit), hidden_fields(second_tab) | lot)
    dilution = typed(
        recorded, lot_number="D9999ZZ", dilution_units_per_ml="25", change_reason="Dilution"
    )
    refused = client.post(url(visit), hidden_fields(first_tab) | dilution).content.decode()

    response = client.post(url(visit), hidden_fields(refused) | dilution)

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.lot_number, visit.dilution_units_per_ml) == ("D9999ZZ", 25)


def test_one_correction_after_another_from_fresh_pages_is_saved(
    client, treating_neurologist, visit
):
    client.force_login(treating_neurologist)
    recorded = InjectionVisit.objects.get(pk=visit.pk)
    page = client.get(url(visit)).content.decode()
    lot = typed(recorded, lot_number="D9999ZZ", change_reason="Lot misread")
    assert client.post(url(visit), hidden_fields(page) | lot).status_code == 302

    page = client.get(url(visit)).content.decode()
    dilution = typed(
        recorded, lot_number="D9999ZZ", dilution_units_per_ml="25", change_reason="Dilution"
    )
    assert client.post(url(visit), hidden_fields(page) | dilution).status_code == 302
    visit.refresh_from_db()
    assert (visit.lot_number, visit.dilution_units_per_ml) == ("D9999ZZ", 25)
