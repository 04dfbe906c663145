"""Recording an injection visit: who may, every validation rule, rows kept, stored flags."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.races import checks_miss_the_other_request
from tests.treatments.factories import muscle, product, visit_with_sites
from tests.treatments.helpers import (
    PERSONAS,
    WRITE_STATUS,
    check_status,
    days_ago,
    sign_in,
    today,
    visit_payload,
)
from treatments.models import InjectionSite, InjectionVisit, ProductTimeline
from treatments.signals import injection_visit_changed

pytestmark = pytest.mark.django_db

FOUR_SITES = (
    ("sternocleidomastoid", "left", "50", "2"),
    ("splenius-capitis", "right", "45", "2"),
    ("trapezius", "right", "40", "3"),
    ("levator-scapulae", "right", "30", "1"),
)


def input_value(page: str, name: str) -> str | None:
    """The value attribute of the input named ``name`` (None without one)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def url(patient) -> str:
    return reverse("treatments:visit_create", args=[patient.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_form(client, persona, request, patient_record):
    sign_in(client, persona)
    check_status(client.get(url(patient_record)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_record(client, persona, request, patient_record):
    sign_in(client, persona)
    response = client.post(url(patient_record), visit_payload())
    expected = WRITE_STATUS[request.node.callspec.id]
    if expected == 200:
        assert response.status_code == 302
        assert "/visits/" in response["Location"]
        assert InjectionVisit.objects.count() == 1
    else:
        check_status(response, expected)
        assert InjectionVisit.objects.count() == 0


def test_the_form_groups_muscles_by_region(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert '<optgroup label="Neck">' in page
    assert '<optgroup label="Larynx / voice">' in page


def test_a_visit_with_four_sites_is_recorded(
    client, treating_neurologist, patient_record, django_capture_on_commit_callbacks
):
    client.force_login(treating_neurologist)
    seen = []
    receiver = lambda sender, visit, **kw: seen.append(visit.pk)  # noqa: E731
    injection_visit_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(patient_record), visit_payload(sites=FOUR_SITES))
    finally:
        injection_visit_changed.disconnect(receiver)
    visit = InjectionVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "treatments:visit_detail", args=[patient_record.uuid, visit.uuid]
    )
    assert visit.injector == treating_neurologist
    assert visit.product == product("botox")
    assert sorted(visit.sites.values_list("units", flat=True)) == [30, 40, 45, 50]
    assert seen == [visit.pk]
    assert visit.history.get().history_user == treating_neurologist
    assert InjectionSite.history.filter(visit_id=visit.pk).count() == 4
    assert AuditEvent.objects.filter(
        action="create", patient_uuid=patient_record.uuid, object_id=str(visit.uuid)
    ).exists()


def test_opening_the_form_is_audited(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    client.get(url(patient_record))
    assert AuditEvent.objects.filter(action="view", patient_uuid=patient_record.uuid).exists()


RULES = [
    pytest.param({"sites-0-units": "0"}, "Units must be more than 0", id="units-zero"),
    pytest.param({"sites-0-units": "-5"}, "Units must be more than 0", id="units-negative"),
    pytest.param({"lot_number": ""}, "This field is required", id="lot-number-required"),
    pytest.param(
        {"date": (days_ago(-1)).isoformat()}, "cannot be in the future", id="date-in-future"
    ),
    pytest.param(
        {"sites-TOTAL_FORMS": "1", "sites-0-muscle": "", "sites-0-side": "", "sites-0-units": ""},
        "Add at least one injection site",
        id="no-sites",
    ),
    pytest.param(
        {"sites-0-side": "midline"}, "choose left or right", id="paired-muscle-needs-a-side"
    ),
    pytest.param(
        {"lot_expiry": days_ago(30).isoformat()}, "expired before the visit", id="lot-expired"
    ),
    pytest.param(
        {"indication": "blepharospasm", "product": "daxxify"},
        "no expected timeline for Daxxify",
        id="no-timeline-for-product-and-indication",
    ),
    pytest.param({"dilution_units_per_ml": "0"}, "greater than or equal to 0.01", id="dilution"),
]


@pytest.mark.parametrize(("overrides", "message"), RULES)
def test_each_rule_shows_its_error_and_saves_nothing(
    client, treating_neurologist, patient_record, overrides, message
):
    client.force_login(treating_neurologist)
    data = visit_payload(sites=FOUR_SITES)
    if "sites-TOTAL_FORMS" in overrides:
        data = visit_payload(sites=(("", "", "", "1"),))
    if overrides.get("product") == "daxxify":
        overrides = overrides | {"product": str(product("daxxify").pk)}
    data.update(overrides)
    response = client.post(url(patient_record), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="error-summary"' in page
    assert InjectionVisit.objects.count() == 0
    assert InjectionSite.objects.count() == 0


def test_one_product_per_visit(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    data = visit_payload()
    data["product"] = [str(product("botox").pk), str(product("dysport").pk)]
    response = client.post(url(patient_record), data)
    assert "A visit uses one product" in response.content.decode()
    assert InjectionVisit.objects.count() == 0


@pytest.mark.parametrize("posted", [" ", "botox", "1e3", "-1", "99999999999999999999999"])
def test_a_product_that_is_no_product_shows_an_error_not_a_500(
    client, treating_neurologist, patient_record, posted
):
    # Found by tests/security/test_fuzz_visit.py: the page's product lookup filtered on the
    # raw posted text and raised ValueError for " ".
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), visit_payload(product=posted))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert InjectionVisit.objects.count() == 0


@pytest.mark.parametrize("row", ["9" * 30, "-9" + "9" * 30, "9" * 5000, "x"])
def test_removing_a_row_that_does_not_exist_keeps_the_rows(
    client, treating_neurologist, patient_record, row
):
    # Found by tests/security/test_fuzz_visit.py: remove_row="9" * 1000 raised OverflowError.
    client.force_login(treating_neurologist)
    data = visit_payload(sites=FOUR_SITES) | {"remove_row": row}
    page = client.post(url(patient_record), data).content.decode()
    assert page.count("data-site-row") == 4 + 1  # the four rows and the row template
    assert InjectionVisit.objects.count() == 0


@pytest.mark.parametrize("units", ["NaN", "sNaN", "-NaN", "Infinity", "9e999999"])
def test_units_that_are_no_number_of_units_show_an_error_not_a_500(
    client, treating_neurologist, patient_record, units
):
    # Found by tests/security/test_fuzz_visit.py: the running total compared "NaN" with 0
    # (InvalidOperation) and summed two "9e999999" into an overflow.
    client.force_login(treating_neurologist)
    sites = (("sternocleidomastoid", "left", units, "2"), ("trapezius", "right", units, "1"))
    response = client.post(url(patient_record), visit_payload(sites=sites))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert InjectionVisit.objects.count() == 0


def test_the_same_muscle_and_side_twice_is_refused(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    sites = (("trapezius", "right", "40", "2"), ("trapezius", "right", "20", "1"))
    response = client.post(url(patient_record), visit_payload(sites=sites))
    assert "Row 1 already has this muscle and side" in response.content.decode()
    assert InjectionSite.objects.count() == 0


def test_a_midline_muscle_takes_no_side(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    data = visit_payload(indication="blepharospasm", sites=(("procerus", "left", "2.5", "1"),))
    response = client.post(url(patient_record), data)
    assert "Procerus is a midline muscle" in response.content.decode()
    assert InjectionVisit.objects.count() == 0


def test_a_failed_row_keeps_every_other_row_as_typed(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    sites = list(FOUR_SITES)
    sites[2] = ("trapezius", "right", "0", "3")
    page = client.post(url(patient_record), visit_payload(sites=sites)).content.decode()
    assert page.count("data-site-row") == 4 + 1  # four rows and the row template
    for code, *_ in FOUR_SITES:
        assert f'value="{muscle(code).pk}" selected' in page
    for units in ("50", "45", "30"):
        assert f'value="{units}"' in page
    assert 'name="sites-2-units" value="0"' in page
    assert "is-invalid" in page
    assert 'value="C1234AB"' in page
    assert InjectionVisit.objects.count() == 0


class TestMinimumInterval:
    def test_an_early_visit_needs_a_reason(self, client, treating_neurologist, patient_record):
        visit_with_sites(patient_record, date=days_ago(70))
        client.force_login(treating_neurologist)
        response = client.post(url(patient_record), visit_payload())
        page = response.content.decode()
        assert "minimum interval" in page
        assert "69 days" in page
        assert InjectionVisit.objects.count() == 1

    def test_the_reason_is_stored_and_listed(self, client, treating_neurologist, patient_record):
        visit_with_sites(patient_record, date=days_ago(57))
        client.force_login(treating_neurologist)
        reason = "Benefit gone by week 6; cannot drive"
        client.post(url(patient_record), visit_payload(early_reason=reason))
        visit = InjectionVisit.objects.get(date=days_ago(1))
        assert visit.early_reason == reason
        listing = client.get(reverse("treatments:visit_list", args=[patient_record.uuid]))
        assert reason in listing.content.decode()
        detail = client.get(
            reverse("treatments:visit_detail", args=[patient_record.uuid, visit.uuid])
        )
        assert reason in detail.content.decode()

    def test_after_the_interval_no_reason_is_needed_or_kept(
        self, client, treating_neurologist, patient_record
    ):
        visit_with_sites(patient_record, date=days_ago(85))  # 84 days before yesterday
        client.force_login(treating_neurologist)
        client.post(url(patient_record), visit_payload(early_reason="typed anyway"))
        assert InjectionVisit.objects.get(date=days_ago(1)).early_reason == ""

    def test_a_visit_entered_in_error_does_not_count(
        self, client, treating_neurologist, patient_record
    ):
        visit_with_sites(
            patient_record,
            date=days_ago(30),
            entered_in_error=True,
            entered_in_error_reason="wrong patient",
        )
        client.force_login(treating_neurologist)
        response = client.post(url(patient_record), visit_payload())
        assert response.status_code == 302

    def test_a_visit_on_the_same_day_is_the_same_session(
        self, client, treating_neurologist, patient_record
    ):
        visit_with_sites(patient_record, date=days_ago(1), indication="blepharospasm",
                         sites=(("procerus", "midline", "2.5"),))  # fmt: skip
        client.force_login(treating_neurologist)
        assert client.post(url(patient_record), visit_payload()).status_code == 302

    def test_a_visit_recorded_late_before_a_recorded_one_needs_a_reason(
        self, client, treating_neurologist, patient_record
    ):
        later = visit_with_sites(patient_record, date=days_ago(10))
        client.force_login(treating_neurologist)
        data = visit_payload(date=days_ago(40).isoformat())  # 30 days before the later one
        page = client.post(url(patient_record), data).content.decode()
        assert "comes 30 days (4 weeks 2 days) after this one" in page
        assert "minimum" in page and "interval for Botox is 12 weeks" in page
        assert InjectionVisit.objects.count() == 1
        reason = "Recorded late from the paper chart; both injections were given"
        assert client.post(url(patient_record), {**data, "early_reason": reason}).status_code == 302
        assert InjectionVisit.objects.get(date=days_ago(40)).early_reason == reason
        later.refresh_from_db()
        assert later.early_reason == ""  # the pair's reason is kept once, on the new visit

    def test_no_second_reason_when_the_next_visit_explains_its_early_injection(
        self, client, treating_neurologist, patient_record
    ):
        visit_with_sites(patient_record, date=days_ago(10), early_reason="Wore off at week 4")
        client.force_login(treating_neurologist)
        data = visit_payload(date=days_ago(40).isoformat())
        assert client.post(url(patient_record), data).status_code == 302

    def test_a_visit_recorded_late_long_before_the_next_needs_no_reason(
        self, client, treating_neurologist, patient_record
    ):
        visit_with_sites(patient_record, date=days_ago(1))
        client.force_login(treating_neurologist)
        data = visit_payload(date=days_ago(90).isoformat(), early_reason="typed anyway")
        assert client.post(url(patient_record), data).status_code == 302
        assert InjectionVisit.objects.get(date=days_ago(90)).early_reason == ""

    def test_a_timeline_without_a_minimum_interval_is_never_early(
        self, client, treating_neurologist, patient_record
    ):
        # The catalog gives every timeline one; an administrator may clear it.
        ProductTimeline.objects.filter(product__code="daxxify", indication="cervical").update(
            min_interval_weeks=None
        )
        visit_with_sites(patient_record, date=days_ago(30))
        client.force_login(treating_neurologist)
        data = visit_payload(product_code="daxxify", sites=(("trapezius", "left", "100", "2"),))
        assert client.post(url(patient_record), data).status_code == 302


class TestUsualMaximum:
    OVER = (
        ("sternocleidomastoid", "left", "50", "2"),
        ("sternocleidomastoid", "right", "50", "2"),
        ("splenius-capitis", "left", "50", "2"),
        ("splenius-capitis", "right", "50", "3"),
        ("trapezius", "left", "50", "2"),
        ("trapezius", "right", "30", "2"),
        ("levator-scapulae", "right", "30", "2"),
    )  # 310 U Botox, usual maximum 300 U for cervical dystonia; no site above 50 U

    def test_over_the_maximum_needs_the_confirmation(
        self, client, treating_neurologist, patient_record
    ):
        client.force_login(treating_neurologist)
        response = client.post(url(patient_record), visit_payload(sites=self.OVER))
        page = response.content.decode()
        assert "310 U Botox is above the usual maximum of 300 U" in page
        assert InjectionVisit.objects.count() == 0

    def test_the_confirmation_is_stored(self, client, treating_neurologist, patient_record):
        client.force_login(treating_neurologist)
        data = visit_payload(sites=self.OVER, over_maximum_confirmed="on")
        assert client.post(url(patient_record), data).status_code == 302
        assert InjectionVisit.objects.get().over_maximum_confirmed is True

    def test_a_confirmation_under_the_maximum_is_not_stored(
        self, client, treating_neurologist, patient_record
    ):
        client.force_login(treating_neurologist)
        client.post(url(patient_record), visit_payload(over_maximum_confirmed="on"))
        assert InjectionVisit.objects.get().over_maximum_confirmed is False

    def test_the_maximum_is_the_products_own(self, client, treating_neurologist, patient_record):
        client.force_login(treating_neurologist)
        data = visit_payload(product_code="dysport", sites=self.OVER)  # 310 U Dysport: usual
        assert client.post(url(patient_record), data).status_code == 302


class TestRowsWithoutScripts:
    def test_add_a_row_keeps_everything_and_saves_nothing(
        self, client, treating_neurologist, patient_record
    ):
        client.force_login(treating_neurologist)
        data = visit_payload(sites=FOUR_SITES[:2], add_row="1")
        page = client.post(url(patient_record), data).content.decode()
        assert 'name="sites-TOTAL_FORMS" value="3"' in page
        assert 'name="sites-1-units" value="45"' in page
        assert 'value="C1234AB"' in page
        assert 'id="error-summary"' not in page
        assert InjectionVisit.objects.count() == 0

    def test_remove_a_row_drops_only_that_row(self, client, treating_neurologist, patient_record):
        client.force_login(treating_neurologist)
        data = visit_payload(sites=FOUR_SITES, remove_row="1")
        page = client.post(url(patient_record), data).content.decode()
        assert 'name="sites-TOTAL_FORMS" value="3"' in page
        assert f'value="{muscle("splenius-capitis").pk}" selected' not in page
        assert 'name="sites-1-units" value="40"' in page
        assert InjectionVisit.objects.count() == 0

    def test_server_side_totals_per_region_and_visit(
        self, client, treating_neurologist, patient_record
    ):
        client.force_login(treating_neurologist)
        sites = (*FOUR_SITES, ("deltoid", "right", "25", "1"))
        page = client.post(url(patient_record), visit_payload(sites=sites, add_row="1"))
        text = page.content.decode()
        assert "165 U" in text  # neck
        assert "25 U" in text  # shoulder
        assert "190 U" in text  # the visit


def test_the_list_shows_the_new_visit_total(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    client.post(url(patient_record), visit_payload(sites=FOUR_SITES))
    listing = client.get(reverse("treatments:visit_list", args=[patient_record.uuid]))
    assert "165 U Botox" in listing.content.decode()


def test_today_is_not_the_future(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), visit_payload(date=today().isoformat()))
    assert response.status_code == 302
    assert InjectionVisit.objects.get().date == today()


@pytest.mark.parametrize("day", ["0001-01-01", "1970-05-16"])
def test_a_visit_before_the_patients_birth_is_refused_at_the_date(
    client, treating_neurologist, patient_record, day
):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), visit_payload(date=day))
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "The date cannot be before the patient's date of birth (17 May 1970)."
    ]
    assert InjectionVisit.objects.count() == 0


def test_a_visit_on_the_day_of_birth_is_recorded(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), visit_payload(date="1970-05-17"))
    assert response.status_code == 302


def test_a_double_submission_records_one_visit(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    data = visit_payload(sites=FOUR_SITES)
    assert client.post(url(patient_record), data).status_code == 302
    again = client.post(url(patient_record), data)
    assert again.status_code == 200
    assert "already recorded: correct that one instead" in again.content.decode()
    assert InjectionVisit.objects.count() == 1
    assert InjectionSite.objects.count() == 4


def test_a_racing_double_submission_shows_the_message_not_a_500(
    client, treating_neurologist, patient_record, monkeypatch, django_capture_on_commit_callbacks
):
    checks_miss_the_other_request(monkeypatch, InjectionVisit)
    client.force_login(treating_neurologist)
    data = visit_payload(sites=FOUR_SITES)
    assert client.post(url(patient_record), data).status_code == 302
    seen = []
    receiver = lambda sender, visit, **kw: seen.append(visit.pk)  # noqa: E731
    injection_visit_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(url(patient_record), data)
    finally:
        injection_visit_changed.disconnect(receiver)
    assert again.status_code == 200
    assert "already recorded: correct that one instead" in again.content.decode()
    assert seen == []
    assert InjectionVisit.objects.count() == 1
    assert InjectionVisit.history.count() == 1
    assert InjectionSite.objects.count() == 4
    assert AuditEvent.objects.filter(action="create").count() == 1
