"""The severity figure is a plain dict with one value per day and open gaps."""

from __future__ import annotations

from datetime import date

from patients.charts import severity_figure, severity_summary, summary_sentence

FIRST, LAST = date(2025, 6, 1), date(2025, 6, 5)
POINTS = [(date(2025, 6, 1), 6), (date(2025, 6, 2), 4), (date(2025, 6, 5), 2)]


def test_figure_has_one_point_per_day_with_gaps():
    figure = severity_figure(POINTS, FIRST, LAST)
    trace = figure["data"][0]
    assert trace["x"] == ["2025-06-01", "2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05"]
    assert trace["y"] == [6, 4, None, None, 2]
    assert trace["connectgaps"] is False
    assert figure["layout"]["yaxis"]["range"] == [-0.5, 10.5]
    assert figure["config"]["displayModeBar"] is False


def test_summary_sentence_is_the_text_alternative():
    sentence = summary_sentence(severity_summary(POINTS, FIRST, LAST))
    assert sentence == (
        "From 1 June 2025 to 5 June 2025 you logged 3 of 5 days. Your overall severity "
        "averaged 4 out of 10, lowest 2, highest 6."
    )


def test_summary_of_an_empty_diary():
    assert "no days are logged yet" in summary_sentence(severity_summary([], FIRST, LAST))
