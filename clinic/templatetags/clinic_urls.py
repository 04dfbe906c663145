"""``{% uuid_url "app:name" some_uuid %}``: ``{% url "app:name" some_uuid %}`` for list rows.

A 50-row page reversing one URL per row spent about 2 ms in ``reverse()``. This tag reverses
the URL once per (name, script prefix, URL conf) with a placeholder UUID and puts each row's
UUID in its place: the same text as ``{% url %}`` for URLs whose only argument is a UUID
(tested against ``reverse``). Anything that is not a ``uuid.UUID`` goes through ``reverse``.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

PLACEHOLDER = uuid.UUID(int=0)


@lru_cache(maxsize=128)
def url_with_placeholder(viewname: str, prefix: str, urlconf: str | None) -> str:
    """The reversed URL of ``viewname`` with ``PLACEHOLDER`` as its one argument.

    ``prefix`` is part of the cache key only: ``reverse`` reads the current script prefix.
    """
    return reverse(viewname, args=[PLACEHOLDER], urlconf=urlconf)


@register.simple_tag
def uuid_url(viewname: str, value: uuid.UUID) -> str:
    """The URL of ``viewname`` for the UUID ``value``, as ``{% url viewname value %}``."""
    if not isinstance(value, uuid.UUID):
        return reverse(viewname, args=[value])
    path = url_with_placeholder(viewname, get_script_prefix(), get_urlconf())
    return path.replace(str(PLACEHOLDER), str(value))
