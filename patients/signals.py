"""Signals the patients app sends after a change is committed (treatments listens)."""

from django.dispatch import Signal

# Sent with patient=<Patient>, day=<date> after a diary entry is created or changed.
diary_changed = Signal()
