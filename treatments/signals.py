"""Signals the treatments app sends after a change is committed.

Receivers (cycle summaries, follow-ups) subscribe in ``TreatmentsConfig.ready`` so that
the code that saves a visit need not know who reacts to it.
"""

from django.dispatch import Signal

# Sent with visit=<InjectionVisit> after a visit is created, corrected or marked in error;
# a correction also sends previous_date=<date> (the visit's date before it).
injection_visit_changed = Signal()
# Sent with timeline=<ProductTimeline> after an expected-timeline default is edited.
timeline_changed = Signal()
