"""Response headers the settings cannot express: no caching of pages with patient data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache``) where patient data may be.

    One simple rule instead of a list of pages: every response to a signed-in user, and
    every HTML page to anyone. Static files never get here (WhiteNoise answers them above
    this middleware), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        html = response.get("Content-Type", "").startswith("text/html")
        if signed_in or html:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            response["Pragma"] = "no-cache"
        return response
