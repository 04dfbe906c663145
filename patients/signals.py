"""Signals the patients app sends (treatments listens)."""

from django.dispatch import Signal

# Sent with patient=<Patient>, day=<date> when a diary entry is created or changed, inside
# the transaction that saves it: a receiver's database writes commit or roll back with the
# entry (nothing half saved), and anything outside the database (a task to enqueue) waits
# for ``transaction.on_commit``.
diary_changed = Signal()
