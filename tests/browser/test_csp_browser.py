"""Chromium enforces the Content-Security-Policy: plotly still draws from the JSON data
blocks, and an inline script slipped into a page is refused and reported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.treatments.timeline_factories import EARLY_PARAMS, synthetic_history

pytestmark = pytest.mark.browser


def test_an_injected_inline_script_is_refused(
    browser, live_server, treating_neurologist, patient_record
):
    synthetic_history(patient_record, days=120, params=EARLY_PARAMS, units=240)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    try:
        sign_in(page, treating_neurologist.username, PASSWORD)
        page.goto(reverse("treatments:chart", args=[patient_record.uuid]))
        # The figures are JSON data blocks (type="application/json"): CSP lets them be read.
        page.wait_for_selector("#chart-timeline[data-plotly-drawn] .main-svg")
        assert not any("Content Security Policy" in m for m in messages)
        with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
            page.evaluate(
                """() => {
                    const script = document.createElement("script");
                    script.textContent = "window.cspProbe = 1";
                    document.body.appendChild(script);
                }"""
            )
        assert page.evaluate("() => window.cspProbe") is None
    finally:
        context.close()
