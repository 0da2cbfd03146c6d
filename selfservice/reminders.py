"""Self-service sweep: census-link runs the broker or a dead worker left unfinished are finished here."""

import datetime

from django.utils import timezone

from lanshan_party.registry import register_sweep
from selfservice.actions import run_census_links
from selfservice.models import CensusLinkRun

# A run younger than this may still be in its worker's hands.
STALE = datetime.timedelta(minutes=10)


@register_sweep("selfservice_census_links")
def sweep_census_links(today: datetime.date | None = None) -> int:
    """Finish every census-link run asked for more than ten minutes ago; one link per task, so nothing twice."""
    runs = CensusLinkRun.objects.filter(finished_at__isnull=True, requested_at__lt=timezone.now() - STALE)
    return sum(run_census_links(pk) for pk in runs.values_list("pk", flat=True))
