"""Filters for showing a saved diary day."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from patients.models import AffectedRegion, DiaryEntry

register = template.Library()


@register.filter
def region_scores(
    entry: DiaryEntry, regions: Sequence[AffectedRegion]
) -> list[tuple[AffectedRegion, int | None]]:
    """Each of ``regions`` (the record's, in catalog order) with the day's score, or None
    where the day has none (the region was added to the record after the day was logged).
    Reads ``entry.regions`` as prefetched (``diary_entry_for_day``): no query."""
    scores = {rs.affected_region_id: rs.severity for rs in entry.regions.all()}
    return [(region, scores.get(region.pk)) for region in regions]
