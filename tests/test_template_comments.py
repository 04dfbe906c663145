"""Django's ``{# … #}`` comment ends on its own line: one spread over two lines is not a
comment but page text, which every reader of the page (a screen reader too) gets."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OPEN_WITHOUT_CLOSE = re.compile(r"\{#(?!.*#\}).*$", re.M)


def test_no_template_comment_spans_two_lines():
    leaking = [
        f"{path.relative_to(TEMPLATES)}:{html[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for html in [path.read_text()]
        for match in OPEN_WITHOUT_CLOSE.finditer(html)
    ]
    assert leaking == [], "use {% comment %} for a comment of several lines: " + ", ".join(leaking)
