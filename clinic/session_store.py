"""Django's database sessions, with the row read in one prebuilt statement (clinic.rows).

The same table, the same single query and the same semantics as
``django.contrib.sessions.backends.db`` (a missing or expired row is an empty session
whose key is dropped); only the Python work of building that query on every signed-in
request is gone (issue 8). ``SESSION_ENGINE`` names this module.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from clinic.rows import unexpired


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = unexpired(
            self.model, "session_key", self.session_key, "expire_date", timezone.now()
        )
        if session is None:
            self._session_key = None
        return session
