"""The Notification admin shows delivery state, never a notification's text (a cycle
alert names the patient and the treatment response: clinical data, not for admins)."""

from __future__ import annotations

import pytest

from clinic import notify
from clinic.models import Notification

pytestmark = pytest.mark.django_db
ALERT = "Ana Silva: the cycle after the injection of 01 Mar 2026 shows early wear-off."


@pytest.fixture
def alert(treating_neurologist) -> Notification:
    return Notification.objects.create(
        recipient=treating_neurologist, kind=notify.CYCLE_ALERT, text=ALERT
    )


def test_no_admin_page_shows_the_text(client_for, admin, alert):
    client = client_for(admin)
    one = f"/admin/clinic/notification/{alert.pk}"
    pages = ["/admin/clinic/notification/", f"{one}/change/", f"{one}/history/", f"{one}/delete/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200
        assert "early wear-off" not in response.content.decode()


def test_admins_cannot_write_notifications(client_for, admin):
    assert client_for(admin).get("/admin/clinic/notification/add/").status_code == 403
