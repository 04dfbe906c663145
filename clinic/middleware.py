"""Response headers the settings cannot express: no caching of pages with patient data,
and the request's id."""

from __future__ import annotations

from collections.abc import Callable

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from clinic.logs import NO_REQUEST, REQUEST_ID_HEADER, current_request_id, request_id_from


class RequestIdMiddleware:
    """Names the request for the log (``clinic.logs.current_request_id``) and answers its
    id in ``X-Request-ID``. First of the middleware, so every response carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished)
def forget_the_request_id(**kwargs) -> None:
    """The request is answered (Django has logged its error status, if any): later lines of
    this thread belong to no request."""
    current_request_id.set(NO_REQUEST)


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
