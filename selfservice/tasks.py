"""The census-link job: thin, takes the run's id; the sweep in reminders.py finishes any run the broker lost."""

from celery import shared_task

from lanshan_party.tasks import RETRY


@shared_task(acks_late=True, **RETRY)
def send_census_links_task(run_id: int) -> int:
    from selfservice.actions import run_census_links

    return run_census_links(run_id)
