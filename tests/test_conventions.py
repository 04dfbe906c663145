"""Project rules that code review alone would miss (STYLE.md, DESIGN.md §1 and §4)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.urlwalk import all_routes, project_routes

ROOT = Path(__file__).resolve().parent.parent
APPS = ("clinic", "patients", "treatments")
# clinic may name the apps only in its URL and settings wiring.
CLINIC_WIRING = {"clinic/urls.py", "clinic/settings.py"}
ALLOWED_IMPORTS = {"clinic": set(), "patients": {"clinic"}, "treatments": {"clinic", "patients"}}
PURE_MODULES = (
    "treatments/cycles.py",
    "treatments/profiles.py",
    "treatments/cycle_text.py",
    "treatments/charts.py",
    "treatments/synthetic.py",
    "treatments/intervals.py",
)


def python_files(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("route", project_routes(), ids=lambda r: r.name)
def test_every_url_declares_its_access_policy(route):
    policy = getattr(route.callback, "access_policy", None)
    assert policy, f"{route.pattern} ({route.name}) has no access policy decorator"


def test_every_url_appears_in_the_access_matrix():
    """The matrix itself (tests/security/test_access_matrix.py) prints the row to add."""
    from tests.security.access_table import ROWS

    missing = [route.name for route in all_routes() if route.name not in ROWS]
    assert missing == [], "add these to tests/security/access_table.py"


def test_admin_is_the_only_undeclared_namespace():
    undeclared = {
        route.namespace
        for route in all_routes()
        if not getattr(route.callback, "access_policy", None)
    }
    assert undeclared <= {"admin"}


@pytest.mark.parametrize("app", APPS)
def test_imports_point_one_way(app):
    forbidden = set(APPS) - ALLOWED_IMPORTS[app] - {app}
    offenders = []
    for path in python_files(app):
        relative = path.relative_to(ROOT).as_posix()
        if relative in CLINIC_WIRING:
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                offenders.append(f"{relative} imports {module}")
    assert offenders == []


@pytest.mark.parametrize("relative", PURE_MODULES)
def test_pure_modules_import_no_django(relative):
    path = ROOT / relative
    if not path.exists():
        pytest.fail(f"{relative} is missing")
    modules = imported_modules(path)
    assert not any(m.split(".")[0] in {"django", *APPS} - {"treatments"} for m in modules)
    assert not any(m.startswith(("treatments.models", "treatments.selectors")) for m in modules)


def test_views_never_look_up_patients_directly():
    offenders = []
    for app in APPS:
        for path in python_files(app):
            if "views" not in path.stem:
                continue
            text = path.read_text(encoding="utf-8")
            for needle in ("Patient.objects.get", "get_object_or_404(Patient"):
                if needle in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_no_hand_written_file_grows_past_600_lines():
    too_long = []
    for folder in (*APPS, "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > 600:
                too_long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert too_long == []


def test_every_textarea_reads_line_breaks_as_the_browser_counted_them():
    """clinic.widgets.Textarea, never Django's own (a CR LF counts twice against max_length)."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in python_files(app)
        if "forms.Textarea" in path.read_text(encoding="utf-8")
        and path != ROOT / "clinic" / "widgets.py"
    ]
    assert offenders == []


def test_every_scrolling_table_box_can_be_scrolled_with_the_keyboard():
    """A table wider than a phone scrolls inside its box: the box takes keyboard focus and
    is a region named by the table's caption (axe: scrollable-region-focusable)."""
    focusable = re.compile(
        r'<div class="table-responsive" tabindex="0" role="region" aria-labelledby="[^"]+">'
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in (ROOT / "templates").rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "table-responsive" in line and not focusable.search(line)
    ]
    assert offenders == []


def test_every_chart_is_one_image_named_by_a_heading():
    """A plotly chart's box is role="img" named by a heading (plotly-figures.js hides the
    drawing inside it from screen readers; the caption or summary describes it)."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r'<div[^>]*class="plotly-chart"[^>]*>', text):
            if 'role="img"' not in tag or "aria-labelledby=" not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert offenders == []
