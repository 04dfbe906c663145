"""Close duplicate follow-ups of one clinic session recorded before the session rule.

A patient's visits on one date (not in error) now share one review and one reinjection
(treatments/services/followup_sync.py). Rows from before may hold one per visit. Only the
safe part is done here: per session and kind, one stays (a booked one, else the first created), and the others that
are still due and were never booked are closed as merged. Anything booked (or a missed
reinjection, or a closed row) is left as it is: a booking the patient was told of must not
disappear silently; staff see it and cancel it. The kept row's window is recomputed from
every visit of the session at the session's next sync (and booking already checks every
product's minimum interval).
"""

from django.db import migrations

MERGED_REASON = "Merged: one follow-up per clinic session (visits on the same date)"


def keeper_rank(status: str, scheduled_at) -> int:
    """As ``session_keeper``: a booked row first, a cancelled one last."""
    return 0 if status == "scheduled" else 2 if status == "cancelled" else 1


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
        "scheduled_at",
        "created",
    )
    sessions = {}
    for pk, patient_id, day, kind, status, scheduled_at, created in rows.iterator():
        rank = (keeper_rank(status, scheduled_at), created, pk)
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


class Migration(migrations.Migration):
    dependencies = [("treatments", "0007_per_site_maximum")]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
