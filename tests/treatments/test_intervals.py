"""The minimum-interval rule between visits (treatments.intervals): table-driven, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from treatments.intervals import SpacedVisit, comes_too_soon, early_now

START = date(2025, 1, 6)


def visit(
    key: int, day: int, weeks: int | None = 12, reason: bool = False, pair: int | None = None
) -> SpacedVisit:
    """Visit ``key`` on day ``day`` after START, of a product with a ``weeks`` minimum
    (``pair``: the other visit of the pair its reason was written about; None: any)."""
    return SpacedVisit(key, START + timedelta(days=day), weeks, reason, pair)


@pytest.mark.parametrize(
    ("gap", "weeks", "expected"),
    [(83, 12, True), (84, 12, False), (0, 12, True), (10, None, False), (0, 0, False)],
)
def test_comes_too_soon(gap, weeks, expected):
    assert comes_too_soon(gap, weeks) is expected


@pytest.mark.parametrize(
    ("visits", "expected"),
    [
        pytest.param([], set(), id="no visits"),
        pytest.param([visit(1, 0)], set(), id="one visit"),
        pytest.param([visit(1, 0), visit(2, 59, reason=True)], {2}, id="early after the previous"),
        pytest.param([visit(1, 0), visit(2, 84, reason=True)], set(), id="on the minimum"),
        pytest.param([visit(1, 0), visit(2, 59, weeks=None, reason=True)], set(), id="no minimum"),
        pytest.param(
            [visit(1, 0), visit(2, 30, weeks=4), visit(3, 30)],
            {3},
            id="any product before; each visit's own minimum",
        ),
        pytest.param([visit(1, 0), visit(2, 0)], set(), id="same day is one session"),
        pytest.param(
            [visit(1, 0, reason=True), visit(2, 30)],
            {1, 2},
            id="reason on the earlier visit, recorded late: both are early",
        ),
        pytest.param(
            [visit(1, 0), visit(2, 30, reason=True)],
            {2},
            id="the next visit's own reason explains the pair",
        ),
        pytest.param(
            [visit(1, 0, reason=True), visit(2, 30, weeks=None)],
            set(),
            id="next product without a minimum",
        ),
        pytest.param(
            [visit(1, 0), visit(2, 30, reason=True, pair=1)],
            {2},
            id="a reason written about this pair",
        ),
        pytest.param(
            [visit(3, 10, reason=True, pair=2), visit(2, 40, reason=True, pair=1)],
            {3},
            id="a reason written about another pair (its earlier visit gone) is history",
        ),
        pytest.param(
            [visit(3, 10), visit(2, 40, reason=True, pair=1)],
            {3},
            id="nor does it explain the new pair: the earlier visit is flagged",
        ),
        pytest.param(
            [visit(3, 10), visit(4, 10), visit(2, 40, reason=True, pair=4)],
            {2},
            id="a pair with one visit of a session is with the session",
        ),
    ],
)
def test_early_now(visits, expected):
    assert early_now(visits) == expected
