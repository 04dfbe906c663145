"""/admin/login/ was the admin site's own sign-in page. Review: did it skip what the
clinic's sign-in does (the session stamps the idle and absolute limits read, two-factor,
the lockout of failed guesses)? It did not: those hang on Django's sign-in signal and the
authentication backend, which its form used too. But it was a second sign-in page, in
Django's layout, without the clinic's error summary, "Forgot your password?" or lockout
wording, and the next rule added to the clinic's login would have missed it. Now the admin
site has no sign-in page of its own: /admin/login/ sends to the clinic's, with the address
to go on to."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.sessions import LOGIN_AT_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "admin-Pass-2026-long"


@pytest.fixture
def admin_with_password(db):
    user = UserFactory(username="site_admin", role="admin")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_admin_login_page_sends_to_the_clinics_sign_in(client):
    response = client.get("/admin/login/?next=/admin/clinic/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/clinic/user/"


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client, admin_with_password):
    client.post("/admin/login/", {"username": "site_admin", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_admin_site_signed_out_sends_to_the_clinics_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Forgot your password?" in response.text


def test_signing_in_for_the_admin_site_stamps_the_session_and_asks_two_factor(
    admin_with_password, settings
):
    settings.CLINIC_REQUIRE_2FA = True
    browser = Client()
    response = browser.post(
        f"{reverse('login')}?next=/admin/",
        {"username": "site_admin", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert LOGIN_AT_KEY in browser.session
    admin_page = browser.get("/admin/")
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith(reverse("two_factor_setup"))


def test_a_signed_in_user_without_the_admin_site_is_refused_not_looped(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin's login address
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_signed_in_administrator_goes_on_to_the_admin_site(client, admin):
    client.force_login(admin)
    response = client.get("/admin/login/?next=/admin/clinic/user/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/clinic/user/"
