"""Response headers the settings cannot express: no caching of pages with patient data,
the request's id, and the Content-Security-Policy built once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


# The attributes django-csp's view decorators set on a response to change its policy.
CSP_OVERRIDES = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


@dataclass(frozen=True)
class SettingsPolicies:
    """The two headers the settings' policies give, built from those settings objects."""

    enforced_setting: object
    report_only_setting: object
    enforced: str
    report_only: str


_settings_policies: SettingsPolicies | None = None


def settings_policies() -> SettingsPolicies:
    """The Content-Security-Policy (and report-only) header of a page that neither uses a
    nonce nor changes its policy: built once per process, rebuilt only when the settings'
    policy objects are replaced (``override_settings`` in tests)."""
    global _settings_policies
    enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    built = _settings_policies
    if built is None or (
        built.enforced_setting is not enforced or built.report_only_setting is not report_only
    ):
        built = SettingsPolicies(
            enforced, report_only, build_policy(), build_policy(report_only=True)
        )
        _settings_policies = built
    return built


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware without building the same policy string on every request.

    A response whose policy is the settings' own (no nonce asked for, no decorator changing
    it) gets the headers built once per process; any other goes through django-csp as is.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            isinstance(getattr(request, "_csp_nonce", None), str)
            or any(hasattr(response, name) for name in CSP_OVERRIDES)
            or (settings.DEBUG and response.status_code in CSP_DEBUG_EXEMPT)
        ):
            return super().process_response(request, response)
        policies = settings_policies()
        _set_policy(request, response, HEADER, policies.enforced, "CONTENT_SECURITY_POLICY")
        _set_policy(
            request,
            response,
            HEADER_REPORT_ONLY,
            policies.report_only,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
        )
        if getattr(request, "_csp_nonce", None) is None:
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


CSP_DEBUG_EXEMPT = (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND)


def _set_policy(
    request: HttpRequest, response: HttpResponseBase, header: str, policy: str, setting: str
) -> None:
    """django-csp's rule: set unless empty, already set, exempted or an excluded prefix."""
    if not policy or header in response:
        return
    exempt = "_csp_exempt_ro" if header == HEADER_REPORT_ONLY else "_csp_exempt"
    if getattr(response, exempt, False) is not False:
        return
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    if request.path_info.startswith(tuple(prefixes)):
        return
    response[header] = policy
