"""The hidden revision a correction page was opened at (``treatments.services.revisions``)."""

from __future__ import annotations

from django import forms


def seen_revision_field() -> forms.IntegerField:
    """The record's revision as the page showed it; absent (None) on an older page."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ShowsRevision:
    """For a correction form with a ``seen_revision`` field."""

    def show_revision(self, revision: int) -> None:
        """After a refusal for a save made meanwhile (shown on the page), the form sent
        again carries the record's revision now, so it is then saved knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_revision")] = str(revision)
