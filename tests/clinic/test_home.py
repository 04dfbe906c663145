from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.views import START_PAGES

pytestmark = pytest.mark.django_db  # personas arrive indirectly; declare the database

ROLE_OF = {
    "patient": "patient",
    "treating_neurologist": "neurologist",
    "staff": "staff",
    "admin": "admin",
}


@pytest.mark.parametrize("persona", list(ROLE_OF), indirect=True)
def test_home_sends_each_role_to_its_start_page(client, persona):
    client.force_login(persona)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(START_PAGES[persona.role])
    landing = client.get(response["Location"])
    assert landing.status_code == 200


def test_anonymous_home_goes_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inactive_user_is_treated_as_signed_out(client, inactive_user):
    client.force_login(inactive_user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "url_name", "status"),
    [
        ("patient", "treatments:neurologist_home", 403),
        ("staff", "treatments:neurologist_home", 403),
        ("treating_neurologist", "patients:today", 403),
        ("staff", "patients:today", 403),
        ("admin", "patients:today", 403),
    ],
    indirect=["persona"],
)
def test_start_pages_refuse_other_roles(client, persona, url_name, status):
    client.force_login(persona)
    assert client.get(reverse(url_name)).status_code == status


def test_theme_toggle_is_remembered_per_user(client, patient):
    client.force_login(patient)
    assert patient.theme == "auto"
    response = client.post(reverse("theme_toggle"), {"next": "/today/"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.theme == "dark"
    page = client.get(reverse("patients:today"))
    assert b'data-bs-theme="dark"' in page.content


def test_theme_toggle_answers_json_to_the_script_and_keeps_the_page(client, patient):
    """static/js/theme-toggle.js asks for JSON: no reload, so typed answers are kept."""
    client.force_login(patient)
    response = client.post(
        reverse("theme_toggle"), {"next": "/today/"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"theme": "dark", "label": "Dark"}
    patient.refresh_from_db()
    assert patient.theme == "dark"
    page = client.get(reverse("patients:today")).content.decode()
    assert "Theme: Dark." not in page  # no flash message left for the next page
    assert 'id="theme-form"' in page and "js/theme-toggle.js" in page


def test_theme_toggle_refuses_foreign_redirects(client, patient):
    client.force_login(patient)
    response = client.post(reverse("theme_toggle"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://testserver/today/"]
)
def test_theme_toggle_returns_only_to_this_sites_secure_pages(client, patient, target):
    client.force_login(patient)
    response = client.post(reverse("theme_toggle"), {"next": target}, secure=True)
    assert response["Location"] == reverse("home")  # an https page is not left for http
