"""Due windows of follow-ups (treatments/followups.py): pure, no database.

The expected values are worked out by hand from TIMELINE.md: injection on Monday
5 January 2026 (day 0); a review from the low to the high end of the peak (at least a
week); a reinjection from the later of the minimum interval and the wear-off, for 14 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.test_conventions import ROOT, imported_modules
from treatments.followups import (
    Basis,
    DueWindow,
    Timeline,
    earliest_reinjection,
    is_before_min_interval,
    predicted_wear_off,
    reinjection_window,
    review_window,
    session_earliest_reinjection,
    session_reinjection_window,
    session_review_window,
)

INJECTION = date(2026, 1, 5)


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


# product / indication, peak (wk), typical duration (wk), minimum interval (wk) -- TIMELINE.md;
# then the review window and the reinjection window, in days after the injection.
PRODUCT_DEFAULTS = [
    ("Botox cervical", (4, 6), 12, 12, (28, 42), (84, 98)),
    ("Botox blepharospasm", (1, 2), 12, 12, (7, 14), (84, 98)),
    ("Dysport cervical", (2, 4), 14, 12, (14, 28), (98, 112)),
    ("Xeomin cervical", (4, 6), 12, 12, (28, 42), (84, 98)),
    ("Xeomin blepharospasm", (1, 2), 12, 12, (7, 14), (84, 98)),
    ("Myobloc cervical", (4, 6), 14, 12, (28, 42), (98, 112)),
    ("Daxxify cervical (no minimum)", (4, 6), 24, None, (28, 42), (168, 182)),
    ("type A spasmodic dysphonia", (1, 2), 14, 12, (7, 14), (98, 112)),
    ("type A oromandibular", (4, 6), 16, 12, (28, 42), (112, 126)),
    ("type A limb", (4, 6), 12, 12, (28, 42), (84, 98)),
]


@pytest.mark.parametrize(
    ("name", "peak", "duration", "minimum", "review", "reinjection"),
    PRODUCT_DEFAULTS,
    ids=[row[0] for row in PRODUCT_DEFAULTS],
)
def test_windows_for_each_product_default(name, peak, duration, minimum, review, reinjection):
    timeline = Timeline(
        peak_weeks=peak, duration_weeks_typical=duration, min_interval_weeks=minimum
    )
    assert review_window(INJECTION, timeline) == DueWindow(day(review[0]), day(review[1]))
    window = reinjection_window(INJECTION, timeline)
    assert (window.due_from, window.due_until) == (day(reinjection[0]), day(reinjection[1]))
    assert window.basis == Basis.PRODUCT


def test_without_a_catalog_timeline_the_usual_values_apply():
    assert review_window(INJECTION, None) == DueWindow(day(28), day(34))
    window = reinjection_window(INJECTION, None)
    assert (window.due_from, window.due_until, window.basis) == (day(84), day(98), Basis.DEFAULT)
    assert earliest_reinjection(INJECTION, None) == day(84)


BOTOX_CERVICAL = Timeline(peak_weeks=(4, 6), duration_weeks_typical=12, min_interval_weeks=12)
DAXXIFY = Timeline(peak_weeks=(4, 6), duration_weeks_typical=24, min_interval_weeks=None)


def test_a_profile_that_wears_off_before_the_minimum_interval_waits_for_the_interval():
    wear_off = predicted_wear_off(INJECTION, median_wear_off_day=56)  # 8 weeks
    assert wear_off == day(56)
    window = reinjection_window(INJECTION, BOTOX_CERVICAL, wear_off)
    assert (window.due_from, window.due_until) == (day(84), day(98))
    assert window.basis == Basis.MIN_INTERVAL


def test_a_profile_that_lasts_longer_moves_the_window_later():
    window = reinjection_window(INJECTION, BOTOX_CERVICAL, day(101))
    assert (window.due_from, window.due_until, window.basis) == (day(101), day(115), Basis.PROFILE)


def test_a_product_without_a_minimum_follows_the_profile_even_when_early():
    window = reinjection_window(INJECTION, DAXXIFY, day(60))
    assert (window.due_from, window.basis) == (day(60), Basis.PROFILE)
    assert earliest_reinjection(INJECTION, DAXXIFY) is None


def test_the_window_never_opens_on_or_before_the_injection_day():
    window = reinjection_window(INJECTION, DAXXIFY, INJECTION - timedelta(days=3))
    assert window.due_from == day(1)


def test_the_profile_prediction_of_this_very_injection_wins_over_the_median():
    observed = day(70)
    assert (
        predicted_wear_off(
            INJECTION,
            profile_injection_date=INJECTION,
            profile_predicted_wear_off=observed,
            median_wear_off_day=90,
        )
        == observed
    )
    # The profile is about a later injection: this visit uses the median.
    assert predicted_wear_off(
        INJECTION,
        profile_injection_date=day(90),
        profile_predicted_wear_off=day(170),
        median_wear_off_day=90.4,
    ) == day(90)
    assert predicted_wear_off(INJECTION) is None


@pytest.mark.parametrize(
    ("offset", "timeline", "early"),
    [
        (83, BOTOX_CERVICAL, True),
        (84, BOTOX_CERVICAL, False),
        (30, DAXXIFY, False),
        (83, None, True),
        (84, None, False),
    ],
)
def test_before_the_minimum_interval(offset, timeline, early):
    assert is_before_min_interval(INJECTION, timeline, day(offset)) is early


def test_a_short_peak_still_gives_a_week_to_call():
    timeline = Timeline(peak_weeks=(2, 2), duration_weeks_typical=12, min_interval_weeks=12)
    assert review_window(INJECTION, timeline) == DueWindow(day(14), day(20))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"peak_weeks": (6, 4), "duration_weeks_typical": 12, "min_interval_weeks": 12},
        {"peak_weeks": (4, 6), "duration_weeks_typical": -1, "min_interval_weeks": 12},
        {"peak_weeks": (4, 6), "duration_weeks_typical": 12, "min_interval_weeks": -2},
    ],
)
def test_a_malformed_timeline_is_refused(kwargs):
    with pytest.raises(ValueError):
        Timeline(**kwargs)


def test_the_window_module_is_pure():
    modules = imported_modules(ROOT / "treatments" / "followups.py")
    assert not any(m.split(".")[0] in {"django", "clinic", "patients"} for m in modules)
    assert modules & {"treatments.models", "treatments.selectors"} == set()


# --- One clinic session: several visits on one date -----------------------------------------

BOTOX_CERVICAL = Timeline(peak_weeks=(4, 6), duration_weeks_typical=12, min_interval_weeks=12)
BOTOX_BLEPHAROSPASM = Timeline(peak_weeks=(1, 2), duration_weeks_typical=12, min_interval_weeks=12)
# Hypothetical products, to tell the rules apart: a 16-week minimum, and none.
LONG_MINIMUM = Timeline(peak_weeks=(2, 4), duration_weeks_typical=10, min_interval_weeks=16)
LONG_LASTING = Timeline(peak_weeks=(2, 4), duration_weeks_typical=20, min_interval_weeks=None)


def own(timeline, wear_off=None):
    return (timeline, reinjection_window(INJECTION, timeline, wear_off))


@pytest.mark.parametrize(
    ("visits", "window", "basis"),
    [
        ([own(BOTOX_CERVICAL)], (84, 98), Basis.PRODUCT),  # one visit: its own window
        ([own(BOTOX_CERVICAL), own(BOTOX_BLEPHAROSPASM)], (84, 98), Basis.PRODUCT),
        # The first to wear off opens it, but never before the latest minimum interval.
        ([own(BOTOX_CERVICAL), own(LONG_MINIMUM)], (112, 126), Basis.MIN_INTERVAL),
        ([own(LONG_MINIMUM), own(BOTOX_CERVICAL)], (112, 126), Basis.MIN_INTERVAL),
        ([own(BOTOX_CERVICAL), own(LONG_LASTING)], (84, 98), Basis.PRODUCT),
        ([own(LONG_LASTING), own(BOTOX_CERVICAL, day(90))], (90, 104), Basis.PROFILE),
        ([own(LONG_LASTING)], (140, 154), Basis.PRODUCT),
    ],
)
def test_the_session_reinjection_window(visits, window, basis):
    shared = session_reinjection_window(INJECTION, visits)
    assert (shared.due_from, shared.due_until) == (day(window[0]), day(window[1]))
    assert shared.basis == basis
    for timeline, _ in visits:  # never before any product's minimum interval
        earliest = earliest_reinjection(INJECTION, timeline)
        assert earliest is None or shared.due_from >= earliest


def test_the_session_earliest_is_the_latest_minimum_interval():
    assert session_earliest_reinjection(INJECTION, [BOTOX_CERVICAL, LONG_MINIMUM]) == day(112)
    assert session_earliest_reinjection(INJECTION, [LONG_LASTING, None]) == day(84)  # default
    assert session_earliest_reinjection(INJECTION, [LONG_LASTING]) is None


def test_the_session_review_comes_when_every_injection_has_reached_its_peak():
    windows = [review_window(INJECTION, BOTOX_BLEPHAROSPASM), review_window(INJECTION, None)]
    shared = session_review_window(windows)
    assert (shared.due_from, shared.due_until) == (day(28), day(34))  # default: 4 weeks, >= 7 d
    shared = session_review_window([*windows, review_window(INJECTION, BOTOX_CERVICAL)])
    assert (shared.due_from, shared.due_until) == (day(28), day(42))


def test_a_session_has_at_least_one_visit():
    with pytest.raises(ValueError):
        session_review_window([])
    with pytest.raises(ValueError):
        session_reinjection_window(INJECTION, [])
