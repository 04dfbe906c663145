"""Start from the last visit: muscles, sides and points always; units and dilution only
for the same product (units of different products are not interchangeable)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.treatments.factories import muscle, product, visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from tests.treatments.test_visit_create import input_value, url
from treatments.models import InjectionVisit, Muscle

pytestmark = pytest.mark.django_db


class TestStartFromTheLastVisit:
    def _last(self, patient_record):
        return visit_with_sites(
            patient_record,
            date=days_ago(90),
            sites=(("sternocleidomastoid", "left", "45"), ("splenius-capitis", "right", "65")),
        )

    def test_same_product_copies_units(self, client, treating_neurologist, patient_record):
        self._last(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert 'name="sites-TOTAL_FORMS" value="2"' in page
        assert f'value="{muscle("splenius-capitis").pk}" selected' in page
        assert 'name="sites-0-units" value="65"' in page  # splenius capitis comes first
        assert 'name="sites-1-units" value="45"' in page
        assert InjectionVisit.objects.count() == 1

    def test_copied_units_then_another_product_are_refused_once_without_scripts(
        self, client, treating_neurologist, patient_record
    ):
        """Without scripts nothing clears the copied Botox units when Dysport is chosen
        afterwards: the save is refused once, at the product, with the rows kept to check."""
        last = self._last(patient_record)
        client.force_login(treating_neurologist)
        page = client.post(url(patient_record), visit_payload(start_from_last="1"))
        page = page.content.decode()
        assert input_value(page, "copied_units_product") == str(last.product_id)
        assert 'name="sites-0-units" value="65"' in page
        copied_sites = (
            ("splenius-capitis", "right", "65", "2"),
            ("sternocleidomastoid", "left", "45", "2"),
        )
        data = visit_payload(
            product_code="dysport",
            sites=copied_sites,
            copied_units_product=str(last.product_id),
        )
        refused = client.post(url(patient_record), data)
        assert refused.status_code == 200
        error = " ".join(refused.context["form"].errors["product"])
        assert "copied from the last visit, in Botox units" in error
        assert "not interchangeable" in error
        assert InjectionVisit.objects.exclude(pk=last.pk).count() == 0
        page = refused.content.decode()
        assert 'name="sites-0-units" value="65"' in page  # kept, to be checked
        assert input_value(page, "copied_units_product") in (None, "")
        # Checked and saved again (the page no longer carries the mark): recorded.
        data["copied_units_product"] = ""
        saved = client.post(url(patient_record), data)
        assert saved.status_code == 302
        visit = InjectionVisit.objects.exclude(pk=last.pk).get()
        assert visit.product.code == product("dysport").code

    def test_copied_units_saved_with_their_own_product_are_recorded(
        self, client, treating_neurologist, patient_record
    ):
        last = self._last(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(copied_units_product=str(last.product_id))
        assert client.post(url(patient_record), data).status_code == 302

    def test_another_product_copies_muscles_but_not_units(
        self, client, treating_neurologist, patient_record
    ):
        self._last(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(product_code="dysport", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert f'value="{muscle("splenius-capitis").pk}" selected' in page
        assert 'name="sites-0-units" value' not in page
        assert "not</strong> copied" in page

    def test_without_a_product_chosen_the_last_one_is_used(
        self, client, treating_neurologist, patient_record
    ):
        last = self._last(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(product="", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert f'<option value="{last.product_id}" selected>' in page
        assert 'name="sites-0-units" value="65"' in page

    def _last_dysport(self, patient_record):
        return visit_with_sites(
            patient_record,
            date=days_ago(90),
            product=product("dysport"),
            dilution_units_per_ml=Decimal("200"),
            sites=(("sternocleidomastoid", "left", "250"),),
        )

    def test_another_product_does_not_keep_the_last_products_dilution(
        self, client, treating_neurologist, patient_record
    ):
        last = self._last_dysport(patient_record)
        client.force_login(treating_neurologist)
        form = client.get(url(patient_record)).content.decode()
        assert input_value(form, "dilution_units_per_ml") == "200.00"  # with Dysport
        # Botox chosen instead, the pre-filled Dysport dilution still in the field.
        data = visit_payload(dilution_units_per_ml="200.00", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert input_value(page, "dilution_units_per_ml") is None
        assert "Units and dilution were <strong>not</strong> copied" in page
        assert f'value="{muscle("sternocleidomastoid").pk}" selected' in page
        # Saved as the page left it: nothing, with the dilution's message at its field.
        saved = client.post(url(patient_record), visit_payload(dilution_units_per_ml=""))
        assert saved.status_code == 200
        assert saved.context["form"].errors["dilution_units_per_ml"]
        assert InjectionVisit.objects.exclude(pk=last.pk).count() == 0
        # A dilution typed for Botox is Botox's own: it stays.
        data = visit_payload(dilution_units_per_ml="50", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert input_value(page, "dilution_units_per_ml") == "50"

    @pytest.mark.parametrize("posted", ["", "200", "200,0"])
    def test_the_same_product_keeps_or_fills_in_its_dilution(
        self, client, treating_neurologist, patient_record, posted
    ):
        self._last_dysport(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(
            product_code="dysport", dilution_units_per_ml=posted, start_from_last="1"
        )
        page = client.post(url(patient_record), data).content.decode()
        assert input_value(page, "dilution_units_per_ml") in {"200.00", posted}
        assert input_value(page, "dilution_units_per_ml")
        assert "Check every row and the dilution before saving." in page

    def test_the_page_script_knows_the_last_products_dilution(
        self, client, treating_neurologist, patient_record
    ):
        last = self._last_dysport(patient_record)
        client.force_login(treating_neurologist)
        page = client.get(url(patient_record)).content.decode()
        assert f'data-last-product="{last.product_id}" data-last-dilution="200.00"' in page

    def test_the_new_form_starts_with_the_last_product(
        self, client, treating_neurologist, patient_record
    ):
        last = self._last(patient_record)
        client.force_login(treating_neurologist)
        page = client.get(url(patient_record)).content.decode()
        assert f'<option value="{last.product_id}" selected>' in page
        assert "Start from the last visit" in page
        assert 'name="sites-0-units" value' not in page  # units only when asked for


def copied_muscles(page: str) -> set[str]:
    """The names (codes) of the muscles selected in the page's site rows."""
    selects = re.findall(r'<select name="sites-\d+-muscle".*?</select>', page, re.S)
    chosen = [pk for select in selects for pk in re.findall(r'value="(\d+)" selected', select)]
    return {Muscle.objects.get(pk=int(pk)).code for pk in chosen}


class TestStartFromTheLastVisitOfTheSameIndication:
    """Two indications treated in one session: "start from the last visit" copies the
    visit of the indication being recorded, never the other indication's muscles."""

    def _same_day_session(self, patient_record):
        cervical = visit_with_sites(
            patient_record,
            date=days_ago(90),
            sites=(("sternocleidomastoid", "left", "45"),),
        )
        eyelids = visit_with_sites(
            patient_record,
            date=days_ago(90),
            indication="blepharospasm",
            sites=(("orbicularis-oculi-pretarsal", "left", "5"),),
        )
        return cervical, eyelids

    def test_cervical_copies_the_cervical_visit(self, client, treating_neurologist, patient_record):
        self._same_day_session(patient_record)  # blepharospasm recorded last
        client.force_login(treating_neurologist)
        data = visit_payload(indication="cervical", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert "sternocleidomastoid" in copied_muscles(page)
        assert "orbicularis-oculi-pretarsal" not in copied_muscles(page)
        assert 'name="sites-0-units" value="45"' in page

    def test_blepharospasm_copies_the_blepharospasm_visit(
        self, client, treating_neurologist, patient_record
    ):
        cervical, eyelids = self._same_day_session(patient_record)
        cervical.created, eyelids.created = eyelids.created, cervical.created
        cervical.save(update_fields=["created"])  # cervical now recorded last
        eyelids.save(update_fields=["created"])
        client.force_login(treating_neurologist)
        data = visit_payload(indication="blepharospasm", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert "orbicularis-oculi-pretarsal" in copied_muscles(page)
        assert "sternocleidomastoid" not in copied_muscles(page)

    def test_an_indication_never_treated_copies_nothing(
        self, client, treating_neurologist, patient_record
    ):
        self._same_day_session(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(indication="limb", sites=(), start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert "sternocleidomastoid" not in copied_muscles(page)
        assert "orbicularis-oculi-pretarsal" not in copied_muscles(page)
        assert "No earlier visit for Writer&#x27;s cramp / limb dystonia" in page
        assert InjectionVisit.objects.count() == 2

    def test_without_an_indication_chosen_the_last_visit_and_its_indication_are_used(
        self, client, treating_neurologist, patient_record
    ):
        self._same_day_session(patient_record)
        client.force_login(treating_neurologist)
        data = visit_payload(indication="", start_from_last="1")
        page = client.post(url(patient_record), data).content.decode()
        assert "orbicularis-oculi-pretarsal" in copied_muscles(page)
        assert '<option value="blepharospasm" selected>' in page
