"""Two tabs of the clinic share the sign-out countdown (static/js/session-timeout.js): what
one tab learns from the server (a page served, "Stay signed in" answered) puts off the
other's warning, by BroadcastChannel or, in a browser without it, the storage event. Two
pages of one browser context; browser time on Playwright's (shared) clock, server time with
time-machine: no waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_session_timeout import (  # noqa: F401  (fixtures)
    NOTE,
    demo,
    focused_matches,
    server_clock,
    warning,
)
from treatments.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
MINUTE_MS = 60_000
CHANNEL = "clinic-session-timeout"
# A browser without BroadcastChannel: the script falls back to localStorage's storage event.
WITHOUT_BROADCAST_CHANNEL = "delete window.BroadcastChannel;"
# What the other tabs hear, collected in a page (a second listener of the same channel, or
# of the storage event).
LISTEN = """(channel) => {
  window.heard = [];
  if (window.BroadcastChannel) {
    new BroadcastChannel(channel).onmessage = (event) => window.heard.push(event.data);
  } else {
    window.addEventListener('storage', (event) => {
      if (event.key === channel) window.heard.push(JSON.parse(event.newValue));
    });
  }
}"""


@pytest.fixture(params=["broadcast_channel", "storage_event"])
def tabs(request, browser, live_server, demo):  # noqa: F811
    """A signed-in patient's context with the clock installed, and a factory of tabs on
    /today/ in it."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    if request.param == "storage_event":
        context.add_init_script(WITHOUT_BROADCAST_CHANNEL)
    context.clock.install()  # every page of the context on the same clock

    def open_tab():
        page = context.new_page()
        page.goto("/today/")
        return page

    first = context.new_page()
    sign_in(first, "patient", DEMO_PASSWORD)
    first.goto("/today/")
    yield context, first, open_tab
    context.close()


def test_a_page_loaded_in_another_tab_puts_off_the_warning(tabs, server_clock):  # noqa: F811
    context, first, open_tab = tabs
    start = datetime.now(UTC)
    first.fill("#id_note", NOTE)
    first.focus("#id_note")
    first.evaluate(LISTEN, CHANNEL)
    server_clock.move_to(start + timedelta(minutes=20))
    context.clock.fast_forward(20 * MINUTE_MS)
    second = open_tab()  # activity: the sign-out is now 30 minutes from here
    # Only the deadline and whether it is final go between the tabs.
    first.wait_for_function("window.heard.length > 0")
    message = first.evaluate("window.heard[0]")
    assert sorted(message) == ["deadline", "final"]
    assert message["final"] is False
    # The first tab's own warning was due 28 minutes after its page: it does not come.
    context.clock.fast_forward(8 * MINUTE_MS + 1000)
    expect(warning(first)).to_be_hidden()
    # Both warn when the second page's numbers say (a few seconds of margin for the real
    # time the test itself takes).
    dialog = second.locator("#session-timeout")
    left = int(dialog.get_attribute("data-seconds-left"))
    lead = int(dialog.get_attribute("data-warning-seconds"))
    context.clock.fast_forward((left - lead) * 1000 - 8 * MINUTE_MS - 1000 - 5000)
    expect(warning(first)).to_be_hidden()
    expect(warning(second)).to_be_hidden()
    context.clock.fast_forward(6000)
    expect(warning(first)).to_be_visible()
    expect(warning(second)).to_be_visible()


def test_stay_signed_in_in_one_tab_closes_the_warning_in_the_other(
    tabs,
    server_clock,  # noqa: F811
):
    context, first, open_tab = tabs
    start = datetime.now(UTC)
    first.fill("#id_note", NOTE)
    first.focus("#id_note")
    second = open_tab()  # within the same minute: the same deadline
    context.clock.fast_forward(28 * MINUTE_MS + 2000)
    expect(warning(first)).to_be_visible()
    expect(warning(second)).to_be_visible()

    server_clock.move_to(start + timedelta(minutes=29))
    with second.expect_response("**/accounts/keep-alive/") as answer:
        second.click("#session-timeout-stay")
    assert answer.value.status == 200
    expect(warning(second)).to_be_hidden()
    expect(warning(first)).to_be_hidden()  # told by the second tab, not by the server
    assert focused_matches(first, "#id_note")  # back where the patient was typing
    assert first.input_value("#id_note") == NOTE
    # Neither warns again until 28 minutes after "Stay signed in".
    context.clock.fast_forward(27 * MINUTE_MS)
    expect(warning(first)).to_be_hidden()
    context.clock.fast_forward(MINUTE_MS + 2000)
    expect(warning(first)).to_be_visible()


def test_an_earlier_deadline_from_another_tab_is_ignored(tabs, server_clock):  # noqa: F811
    """Activity only moves the sign-out later: a tab that heard an older deadline (a page
    still open since before) keeps its own."""
    context, first, open_tab = tabs
    second = open_tab()
    older = second.evaluate(
        """(channel) => {
             const deadline = Date.now() + 60000;  // one minute: the warning would be due
             const message = {deadline: deadline, final: false};
             if (window.BroadcastChannel) new BroadcastChannel(channel).postMessage(message);
             else localStorage.setItem(channel, JSON.stringify(message));
           }""",
        CHANNEL,
    )
    assert older is None
    context.clock.fast_forward(2000)
    expect(warning(first)).to_be_hidden()
    context.clock.fast_forward(28 * MINUTE_MS)
    expect(warning(first)).to_be_visible()
