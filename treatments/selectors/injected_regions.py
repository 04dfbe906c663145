"""Which severity a cycle is judged on: the overall one, or the injected regions' own.

The diary's overall severity is the whole body's. For a patient with several affected
regions (segmental, multifocal, generalized dystonia) an injection in some of them (the
neck, say) hardly moves it, and a working injection would read as "no response". A cycle
whose injection (every visit of its date) did not reach every affected region is judged
instead on the mean daily severity of the affected regions it reached, which the patient
logs each day; the chart names them. A cycle whose injection reached every affected
region, or none of them (its sites are in regions not listed as affected), keeps the
overall severity.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from statistics import fmean

from patients.models import AffectedRegion, Patient, RegionSeverity
from treatments.models import InjectionSite, InjectionVisit, Side

Judged = tuple[str, ...]  # the labels of the affected regions a cycle is judged on


def site_in_region(site: InjectionSite, region: AffectedRegion) -> bool:
    """Whether an injection site was given in an affected region: the muscle's body region,
    and for a region of one side (left or right) a site on that side or the midline."""
    if site.muscle.region_id != region.region_id:
        return False
    one_side = region.side in (AffectedRegion.Side.LEFT, AffectedRegion.Side.RIGHT)
    return not one_side or site.side in (region.side, Side.MIDLINE)


def affected_regions(patient: Patient) -> list[AffectedRegion]:
    """The patient's affected regions with their body region, in the catalog's order."""
    return list(AffectedRegion.objects.filter(patient=patient).select_related("region"))


def regions_reached(
    visits: Sequence[InjectionVisit], regions: Sequence[AffectedRegion]
) -> dict[date, list[AffectedRegion]]:
    """Per injection date, the affected regions that some site of that date's visits was
    given in, in ``regions``' order, where that is some but not all of them (the other
    dates are judged on the overall severity). Reads the visits' prefetched sites."""
    sites_by_date: dict[date, list[InjectionSite]] = {}
    for visit in visits:
        sites_by_date.setdefault(visit.date, []).extend(visit.sites.all())
    reached = {}
    for day, sites in sites_by_date.items():
        found = [r for r in regions if any(site_in_region(s, r) for s in sites)]
        if 0 < len(found) < len(regions):
            reached[day] = found
    return reached


RegionSeverities = dict[int, dict[date, float]]  # affected region id -> day -> 0-10


def region_severities(patient: Patient, regions: Sequence[AffectedRegion]) -> RegionSeverities:
    """Every severity the patient logged for ``regions`` (id -> day -> 0-10). One query
    (none without regions): read for every patient with several affected regions, whether
    or not a cycle is judged on them, so a page's query count does not depend on where the
    injections were given."""
    by_region: RegionSeverities = {region.pk: {} for region in regions}
    rows = RegionSeverity.objects.filter(entry__patient=patient, affected_region_id__in=by_region)
    for region_id, day, severity in rows.order_by().values_list(
        "affected_region_id", "entry__date", "severity"
    ):
        by_region[region_id][day] = float(severity)
    return by_region


def judged_series(
    severities: RegionSeverities, reached: dict[date, list[AffectedRegion]]
) -> dict[date, tuple[Judged, dict[date, float]]]:
    """Per injection date of ``reached``, the labels of its regions and the mean severity
    (0-10) of those regions per logged day (``severities``: ``region_severities``)."""
    series: dict[Judged, dict[date, float]] = {}
    result = {}
    for day, regions in reached.items():
        key = tuple(region.label for region in regions)
        if key not in series:
            series[key] = _mean_by_day([severities.get(region.pk, {}) for region in regions])
        result[day] = (key, series[key])
    return result


def _mean_by_day(series: Sequence[dict[date, float]]) -> dict[date, float]:
    """The mean of the series logged on each day any of them is."""
    days = sorted({day for one in series for day in one})
    return {day: fmean(one[day] for one in series if day in one) for day in days}
