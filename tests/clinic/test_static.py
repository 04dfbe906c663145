"""Bootstrap and plotly.js come from pip packages, served locally (no CDN)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

VENDOR = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/plotly/plotly.min.js",
]


@pytest.mark.parametrize("path", VENDOR)
def test_vendor_file_is_found(path):
    assert finders.find(path)


def test_only_plotly_min_js_is_taken_from_plotly():
    assert finders.find("vendor/plotly/widgetbundle.js") is None


def test_pages_reference_no_cdn(client, db):
    import re

    html = client.get("/accounts/login/").content.decode()
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', html)
    assert external == []
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html


def test_static_file_is_served(client, db):
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
