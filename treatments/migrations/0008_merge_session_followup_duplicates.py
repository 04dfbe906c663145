"""Close duplicate follow-ups of one clinic session recorded before the session rule.

A patient's visits on one date (not in error) now share one review and one reinjection
(treatments/services/followup_sync.py). Rows from before may hold one per visit. Only the
safe part is done here: per session and kind, one stays (ranked as ``session_keeper``
ranks), and the others that are still due and were never booked are closed as merged. Anything booked (or a missed
reinjection, or a closed row) is left as it is: a booking the patient was told of must not
disappear silently; staff see it and cancel it. The kept row's window is recomputed from
every visit of the session by the nightly sweep (it re-syncs sessions of several visits);
a kept booking before a merged product's minimum interval stays booked and is flagged
(``booked_before_minimum``). The reverse opens the merged rows again.
"""

from django.db import migrations

MERGED_REASON = "Merged: one follow-up per clinic session (visits on the same date)"


SUPERSEDED_PREFIX = "Reinjected on "
SYNC_CANCELLATIONS = ("The injection visit was entered in error", MERGED_REASON)


def keeper_rank(kind: str, status: str, reason: str, booked: bool) -> int:
    """As ``session_keeper``'s ``keeper_rank``: booked (or closed as superseded while
    booked), then a missed reinjection, then a staff decision, then due, then closed as
    superseded, then cancelled by a sync."""
    superseded = status == "done" and reason.startswith(SUPERSEDED_PREFIX)
    if status == "scheduled" or (superseded and booked):
        return 0
    if status == "missed" and kind == "reinjection":
        return 1
    if status == "cancelled" and reason in SYNC_CANCELLATIONS:
        return 5
    if superseded:
        return 4
    return 3 if status == "due" else 2


def merge(apps, schema_editor):
    FollowUp = apps.get_model("treatments", "FollowUp")
    rows = FollowUp.objects.filter(
        source_visit__isnull=False, source_visit__entered_in_error=False
    ).values_list(
        "pk",
        "source_visit__patient_id",
        "source_visit__date",
        "kind",
        "status",
        "status_reason",
        "scheduled_at",
        "created",
    )
    sessions = {}
    for pk, patient_id, day, kind, status, reason, scheduled_at, created in rows.iterator():
        rank = (keeper_rank(kind, status, reason, scheduled_at is not None), created, pk)
        sessions.setdefault((patient_id, day, kind), []).append((rank, status, scheduled_at, pk))
    duplicates = [
        pk
        for found in sessions.values()
        for _, status, scheduled_at, pk in sorted(found)[1:]
        if status == "due" and scheduled_at is None
    ]
    FollowUp.objects.filter(pk__in=duplicates).update(
        status="cancelled", status_reason=MERGED_REASON
    )


def unmerge(apps, schema_editor):
    """Back to the release before: every visit has its own follow-ups again. Rows closed as
    merged (here, or by a sync since) are due again; that release's sync and sweep judge
    them anew."""
    FollowUp = apps.get_model("treatments", "FollowUp")
    FollowUp.objects.filter(status="cancelled", status_reason=MERGED_REASON).update(
        status="due", status_reason=""
    )


class Migration(migrations.Migration):
    dependencies = [("treatments", "0007_per_site_maximum")]

    operations = [migrations.RunPython(merge, unmerge)]
