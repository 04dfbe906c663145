"""Enumerate every URL pattern of the project with a concrete path to request."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = {
    "uuid": str(uuid.UUID(int=0x1234)),
    "int": "1",
    "slug": "sample",
    "str": "sample",
    "path": "sample",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text where a pattern has no name
    pattern: str
    callback: object
    sample_path: str
    namespace: str


def _join(prefix: str, route: str) -> str:
    return prefix + route


def _sample(route: str) -> str:
    """Fill <type:name> converters with sample values; regex routes get their literal parts."""

    def fill(match: re.Match) -> str:
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "sample")

    path = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry.url_patterns, _join(prefix, str(entry.pattern)), ns)
            elif isinstance(entry, URLPattern):
                route = _join(prefix, str(entry.pattern))
                name = (
                    f"{namespace}:{entry.name}"
                    if namespace and entry.name
                    else (entry.name or route)
                )
                routes.append(Route(name, route, entry.callback, _sample(route), namespace))

    walk(get_resolver().url_patterns, "", "")
    return routes


def project_routes() -> list[Route]:
    """Every route except Django admin's, which guards itself (staff users only)."""
    return [route for route in all_routes() if route.namespace != "admin"]
