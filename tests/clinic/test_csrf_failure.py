"""A form refused by the CSRF check gets the clinic's page (clinic.views.csrf_failure)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_signed_out_visitors_stale_form_says_nothing_was_saved_and_offers_sign_in():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"),
        {"username": "someone", "password": "x", "csrfmiddlewaretoken": "stale" * 8},
        secure=True,
        headers={"referer": "https://testserver/"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h2">Nothing was saved: the page was out of date</h1>' in html
    assert f'href="{reverse("login")}">Sign in</a>' in html
    assert "DEBUG" not in html


def test_a_signed_in_users_stale_form_links_their_start_page(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        reverse("theme_toggle"),
        {"csrfmiddlewaretoken": "stale" * 8},
        secure=True,
        headers={"referer": "https://testserver/"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert f'href="{reverse("treatments:followup_queue")}">Go to your start page</a>' in html
