"""The edges of the clinic's form fields (WCAG 1.4.11, non-text contrast): a text field or
a list box is found by its border, which keeps 3:1 against the page in the light and the
dark theme (Bootstrap's own, #dee2e6 on white, is 1.3:1: an empty field all but vanishes
for a neurologist or staff member who sees poorly)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser

# Each field's border colour, laid over the page's background (a border may be
# translucent), and the WCAG contrast ratio of the two.
_BORDER_CONTRASTS_JS = """() => {
  const rgba = (text) => {
    const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
    return {r, g, b, a};
  };
  const luminance = ({r, g, b}) => {
    const lin = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const over = (top) => ({r: top.r * top.a + page.r * (1 - top.a),
    g: top.g * top.a + page.g * (1 - top.a), b: top.b * top.a + page.b * (1 - top.a)});
  const fields = document.querySelectorAll('main input.form-control, main select.form-select, '
    + 'main textarea.form-control');
  return Array.from(fields).map((field) => {
    const edge = luminance(over(rgba(getComputedStyle(field).borderTopColor)));
    const ground = luminance(page);
    const ratio = (Math.max(edge, ground) + 0.05) / (Math.min(edge, ground) + 0.05);
    return [field.id, Math.round(ratio * 100) / 100];
  });
}"""


@pytest.fixture
def demo(transactional_db):
    seed_people(timezone.localdate())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_form_fields_have_borders_of_at_least_3_to_1(browser, live_server, demo, scheme):
    context = browser.new_context(
        base_url=live_server.url, color_scheme=scheme, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "staff", DEMO_PASSWORD)
        page.goto("/patients/new/")
        contrasts = page.evaluate(_BORDER_CONTRASTS_JS)
        assert len(contrasts) >= 5
        assert [(name, ratio) for name, ratio in contrasts if ratio < 3] == []
    finally:
        context.close()
