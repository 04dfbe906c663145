"""Serve vendored front-end files from pip packages, never from a CDN.

Only the named files are exposed: plotly's package_data folder also holds a 4.8 MB widget
bundle and data sets that must not become static files.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def vendor_files() -> dict[str, Path]:
    """Map each served static path to the file in its pip package."""
    import plotly
    import xstatic.pkg.bootstrap as bootstrap

    bootstrap_dir = Path(bootstrap.BASE_DIR)
    plotly_dir = Path(plotly.__file__).parent / "package_data"
    return {
        "vendor/bootstrap/css/bootstrap.min.css": bootstrap_dir / "css/bootstrap.min.css",
        "vendor/bootstrap/css/bootstrap.min.css.map": bootstrap_dir / "css/bootstrap.min.css.map",
        "vendor/bootstrap/js/bootstrap.bundle.min.js": bootstrap_dir / "js/bootstrap.bundle.min.js",
        "vendor/bootstrap/js/bootstrap.bundle.min.js.map": (
            bootstrap_dir / "js/bootstrap.bundle.min.js.map"
        ),
        "vendor/plotly/plotly.min.js": plotly_dir / "plotly.min.js",
    }


class _SingleFileStorage(FileSystemStorage):
    """A storage rooted at a file's folder that lists only that file, under its served name."""

    def __init__(self, served_path: str, source: Path) -> None:
        super().__init__(location=str(source.parent))
        self.served_path = served_path
        self.source = source
        self.prefix = str(Path(served_path).parent)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return [], [self.source.name] if path in {"", "."} else []


class VendorFinder(BaseFinder):
    """A staticfiles finder for the files named by :func:`vendor_files`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.files = vendor_files()

    def check(self, **kwargs) -> list:
        from django.core.checks import Error

        return [
            Error(f"Vendored static file is missing: {source}", id="clinic.E010")
            for source in self.files.values()
            if not source.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        find_all = find_all or bool(kwargs.get("all"))  # Django 5.2 still passes `all`
        source = self.files.get(path)
        if source is None:
            return []  # Django's finders answer "not found" with an empty list
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for served_path, source in self.files.items():
            yield source.name, _SingleFileStorage(served_path, source)
