"""What the main navigation of a rendered page marks as the current page."""

from __future__ import annotations

from html.parser import HTMLParser


class _CurrentLinks(HTMLParser):
    """Collects the text of each link in <header> that carries aria-current="page"."""

    def __init__(self) -> None:
        super().__init__()
        self.in_header = False
        self.current: list[str] | None = None  # the text of the marked link being read
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self.in_header = True
        elif tag == "a" and self.in_header and ("aria-current", "page") in attrs:
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self.in_header = False
        elif tag == "a" and self.current is not None:
            self.found.append(" ".join("".join(self.current).split()))
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


def current_nav_items(html: str) -> list[str]:
    """The labels of the navigation links marked aria-current="page" (one at most, or none)."""
    parser = _CurrentLinks()
    parser.feed(html)
    return parser.found
