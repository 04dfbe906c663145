"""The in-app inbox every signed-in user has: list notifications, mark them read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clinic.access import signed_in
from clinic.models import Notification

PAGE_SIZE = 30


def unread_count(user) -> int:
    """How many of ``user``'s notifications are unread (0 for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@signed_in
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clinic/inbox.html", {"page": page})


@signed_in
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``notification`` = its id) or all of them (``all``) read.

    Only the user's own notifications: another user's id answers 404.
    """
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if request.POST.get("all"):
        mine.update(read_at=timezone.now())
    else:
        try:
            notification_id = int(request.POST.get("notification", ""))
        except ValueError:
            raise Http404("No such notification") from None
        if not Notification.objects.filter(recipient=request.user, pk=notification_id).exists():
            raise Http404("No such notification")
        mine.filter(pk=notification_id).update(read_at=timezone.now())
    return redirect("inbox")
