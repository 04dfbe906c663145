"""CI runs the suite on the real PostgreSQL; elsewhere SQLite is fine."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.services import in_ci


@pytest.mark.skipif(not in_ci(), reason="only CI must run on PostgreSQL")
def test_ci_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    assert os.environ.get("REDIS_URL")


def test_a_forms_choices_are_read_with_one_plain_select(db):
    """No server-side cursor (DECLARE … FETCH … CLOSE) for a dropdown's few dozen rows."""
    from django import forms
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinic.models import User

    class Choice(forms.Form):
        user = forms.ModelChoiceField(queryset=User.objects.all())

    with CaptureQueriesContext(connection) as captured:
        str(Choice()["user"])
    assert [q["sql"].split()[0] for q in captured] == ["SELECT"]
