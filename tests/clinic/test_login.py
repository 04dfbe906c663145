from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.views import START_PAGES
from treatments.demo import DEMO_PASSWORD, DEMO_USERS, seed_people


@pytest.fixture
def demo_clinic(db):
    from django.utils import timezone

    seed_people(timezone.localdate())


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda s: s.username)
def test_each_demo_user_logs_in_and_lands_on_its_start_page(client, demo_clinic, spec):
    response = client.post(
        reverse("login"), {"username": spec.username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    final_path = response.redirect_chain[-1][0]
    assert final_path == reverse(START_PAGES[spec.role])


def test_wrong_password_shows_a_message_and_keeps_the_username(client, demo_clinic):
    response = client.post(reverse("login"), {"username": "patient", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert b'value="patient"' in response.content


def test_login_page_renders_with_landmarks(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert 'for="id_username"' in html


def test_logout_needs_post_and_ends_the_session(client, demo_clinic):
    client.post(reverse("login"), {"username": "staff", "password": DEMO_PASSWORD})
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    after = client.get(reverse("treatments:followup_queue"))
    assert after["Location"].startswith(reverse("login"))
