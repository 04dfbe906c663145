"""The in-app inbox every signed-in user has: list notifications, mark them read (and undo
"Mark all as read").

A notification about a patient (``patient_uuid``, e.g. a cycle alert naming the patient and
the cycle's verdict) is shown only while its recipient may see that patient's chart: a
neurologist taken off the care team no longer sees it, and sees it again when put back.
The rows stay (they record what was sent). Which patients a user may see is the patients
app's rule (``patients_visible_to``); clinic imports no app, so that app registers it here
in ``AppConfig.ready`` (``register_patient_scope``). Without one, no such message is shown.

Times are shown in the clinic's zone, except to a patient: their pages tell the time on
their own clock (the zone of their diary days), so the patients app also registers
``register_user_time_zone``. Without one, everyone sees the clinic's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clinic.access import signed_in
from clinic.audit import record_event
from clinic.models import AuditEvent, Notification, User
from clinic.prepared import PreparedCount, prepare_count

PAGE_SIZE = 30

# ``(user, now) -> the UUIDs of the patients they may see at now`` as a query (used as a
# subquery, so the inbox's query count does not grow with its messages).
PatientScope = Callable[[object, datetime], QuerySet]
_patient_scope: list[PatientScope] = []


def register_patient_scope(scope: PatientScope) -> None:
    _patient_scope[:] = [scope]


# ``user -> the zone their pages show times in``, or None for the clinic's zone.
UserTimeZone = Callable[[object], tzinfo | None]
_user_time_zone: list[UserTimeZone] = []


def register_user_time_zone(zone_of: UserTimeZone) -> None:
    _user_time_zone[:] = [zone_of]


def time_zone_for(user) -> tzinfo | None:
    """The zone ``user``'s inbox shows times in; None for the clinic's (the default)."""
    return _user_time_zone[0](user) if _user_time_zone else None


def notifications_for(user, now: datetime | None = None) -> QuerySet[Notification]:
    """``user``'s notifications that they may read at ``now`` (default: the present): those
    about no patient, and those about a patient they may see (``register_patient_scope``)."""
    about_no_patient = Q(patient_uuid__isnull=True)
    mine = Notification.objects.filter(recipient=user)
    if not _patient_scope:
        return mine.filter(about_no_patient)
    now = timezone.now() if now is None else now
    return mine.filter(about_no_patient | Q(patient_uuid__in=_patient_scope[0](user, now)))


def unread_count(user) -> int:
    """How many of ``user``'s notifications are unread (0 for anonymous users).

    One query on every signed-in page, as ``notifications_for`` words it, read now (never
    kept): its SQL is built once per process for each set of the user's attributes the
    patient scope reads (``SCOPE_READS``; ``clinic.prepared``).
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    alias = router.db_for_read(Notification)
    scope = _patient_scope[0] if _patient_scope else None
    reads = tuple(getattr(user, name) for name in SCOPE_READS)
    statement = _unread_statement(reads, alias, scope)
    return statement.count([user.pk, timezone.now()])


# The user's attributes, besides their key, that a patient scope reads: its role and whether
# the account is active (``has_role``), and its email address (a neurologist never sees
# their own record: ``patients.access.own_records``). The prepared statement is kept per set
# of them, so a scope reading another attribute must be named here.
SCOPE_READS = ("role", "is_active", "email")


# Two sets of stand-ins (a user's key, the present) for preparing the unread count: no
# user has a negative key, and no grant expires in 1901.
UNREAD_STAND_INS = (
    (-1_000_001, datetime(1901, 1, 1, tzinfo=UTC)),
    (-1_000_002, datetime(1901, 2, 2, 2, 2, 2, 2, tzinfo=UTC)),
)


@lru_cache(maxsize=4096)
def _unread_statement(
    reads: tuple[object, ...], alias: str, scope: PatientScope | None
) -> PreparedCount:
    """The unread count of a user with these ``SCOPE_READS`` (the patient scope's shape
    follows them)."""

    def unread(pk: int, now: datetime) -> QuerySet[Notification]:
        stand_in = User(pk=pk, **dict(zip(SCOPE_READS, reads, strict=True)))
        unread = notifications_for(stand_in, now).filter(read_at__isnull=True)
        return unread.order_by().values("pk")

    ops = connections[alias].ops
    return prepare_count(unread, UNREAD_STAND_INS, (int, ops.adapt_datetimefield_value), alias)


@signed_in
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked; after "Mark all as read",
    the button that undoes it (``UNDO_KEY``)."""
    notifications = notifications_for(request.user).order_by("-created", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "time_zone": time_zone_for(request.user),
        "can_undo": bool(request.session.get(UNDO_KEY)),
    }
    # A message about a patient (a cycle alert names them and their treatment's response)
    # is a view of that patient: one audit event per patient on the page.
    for patient_uuid in dict.fromkeys(n.patient_uuid for n in page.object_list if n.patient_uuid):
        record_event(request=request, action=AuditEvent.Action.VIEW, patient_uuid=patient_uuid)
    return render(request, "clinic/inbox.html", context)


# The session key holding the ids of the messages the last "Mark all as read" marked, so
# that one button puts a mis-tap right. An undo rather than a confirmation: a hand with a
# tremor can slip on a confirmation's button as well, and a question asked every time is
# soon answered without reading. The undo lasts until the next inbox action or sign-out.
UNDO_KEY = "inbox_marked_all"


@signed_in
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``notification`` = its id) or all of them (``all``) read, or
    undo the last "all" (``undo``).

    Only the user's own notifications that they may read now (``notifications_for``):
    another id answers 404, and "all" leaves the hidden ones as they are. The reader goes
    back to the page they were on (``page``), not to the first, and is told it was done
    (a status message screen readers announce: the page reloads with the focus at its top).
    """
    readable = notifications_for(request.user)
    mine = readable.filter(read_at__isnull=True)
    marked_all = request.session.pop(UNDO_KEY, None) or []
    if request.POST.get("undo"):
        count = readable.filter(pk__in=marked_all, read_at__isnull=False).update(read_at=None)
        if count:
            are = pluralize(count, "is,are")
            messages.success(request, f"{count} message{pluralize(count)} {are} unread again.")
    elif request.POST.get("all"):
        request.session[UNDO_KEY] = list(mine.values_list("pk", flat=True))
        mine.update(read_at=timezone.now())
        messages.success(request, "All messages are marked as read.")
    else:
        try:
            notification_id = int(request.POST.get("notification", ""))
        except ValueError:
            raise Http404("No such notification") from None
        if not readable.filter(pk=notification_id).exists():
            raise Http404("No such notification")
        mine.filter(pk=notification_id).update(read_at=timezone.now())
        messages.success(request, "The message is marked as read.")
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit() and len(page) <= 6 and int(page) > 1:
        return redirect(f"{reverse('inbox')}?page={int(page)}")
    return redirect("inbox")
