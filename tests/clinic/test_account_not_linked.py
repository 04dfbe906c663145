"""Review (account lifecycle): a patient's account whose record was unlinked (or an
account made as a patient's by mistake) signed in to "Page not found", and its "Go to your
start page" link led back to the same page. Now such an account's start page says plainly
that it is linked to no record and to contact the clinic."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlinked(db) -> User:
    return UserFactory(username="no_record", role=User.Role.PATIENT)


def start_page(client):
    return client.get(reverse("home"), follow=True)


def test_an_unlinked_patient_account_gets_a_clear_start_page(client, unlinked):
    client.force_login(unlinked)
    response = start_page(client)
    assert response.status_code == 200
    html = response.text
    assert "not linked" in html
    assert "contact the clinic" in html.lower()
    assert "Page not found" not in html


def test_the_unlinked_page_does_not_lead_back_to_itself(client, unlinked):
    client.force_login(unlinked)
    response = start_page(client)
    here = response.redirect_chain[-1][0] if response.redirect_chain else reverse("home")
    content = response.text.split("<main", 1)[-1]
    assert f'href="{reverse("home")}"' not in content
    assert f'href="{here}"' not in content


def test_a_patient_page_opened_directly_leads_to_the_clear_page(client, unlinked):
    client.force_login(unlinked)
    assert client.get(reverse("patients:today")).status_code == 404
    assert "not linked" in start_page(client).text


def test_a_linked_patient_still_starts_on_today(client, patient):
    client.force_login(patient)
    response = start_page(client)
    assert response.redirect_chain[-1][0] == reverse("patients:today")
