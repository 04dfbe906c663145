"""Follow-ups react to injection visits: connected in ``TreatmentsConfig.ready``."""

from __future__ import annotations

import logging

from treatments.services.followup_sync import followups_sync_for_visit

logger = logging.getLogger(__name__)


def on_injection_visit_changed(sender, visit, previous_date=None, **kwargs) -> None:
    """After a visit is created, corrected or marked in error (sent after commit).

    A corrected date (``previous_date``) may move the visit past the patient's other
    visits: ``followups_sync_for_visit`` then syncs those too.

    The visit is already saved; a failure here must not turn its request into an error.
    It is logged (by UUID only) and the nightly sweep creates what is missing.
    """
    try:
        followups_sync_for_visit(visit=visit, moved_from=previous_date)
    except Exception:
        logger.exception(
            "Follow-ups of visit %s not updated; the nightly sweep retries", visit.uuid
        )


def connect() -> None:
    from treatments.signals import injection_visit_changed

    injection_visit_changed.connect(on_injection_visit_changed, dispatch_uid="followups")
