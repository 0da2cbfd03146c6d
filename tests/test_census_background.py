"""Census work in the background: a broker that is down costs nothing, and a real worker sends the reminders."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from lanshan_party.celery import app
from lanshan_party.models import Channel, Notification, NotificationKind, NotificationStatus
from members.models import CensusCampaign, CensusTask, OutflowStatus
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("TEST_REDIS_URL", "")
UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there


def _use_broker(url: str | None) -> None:
    """Point the web side's Celery at a broker (None: back to eager, as in every other test)."""
    app.conf.update(task_always_eager=url is None, broker_url=url or settings.CELERY_BROKER_URL)
    app._pool = None  # the connection pool remembers the old broker
    app.amqp._producer_pool = None


@pytest.fixture
def campaign(county):
    import datetime

    c = CensusCampaign.objects.create(
        name="春节摸排", starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 3, 3)
    )
    c.organizations.add(county.committee)
    return c


@pytest.fixture
def broker_down():
    _use_broker(UNREACHABLE)
    yield
    _use_broker(None)


def _timed_post(client, url, data, capture) -> tuple[float, object]:
    started = time.monotonic()
    with capture(execute=True):  # run the after-commit publish, as a real request would
        response = client.post(url, data)
    return time.monotonic() - started, response


def test_with_the_broker_down_opening_and_answering_respond_fast_lose_nothing_and_the_next_sweep_sends(
    county, campaign, broker_down, django_capture_on_commit_callbacks, caplog
):
    seconds, response = _timed_post(
        login(county.county_staff),
        reverse("members:campaign_step", args=[campaign.pk, "open"]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert seconds < 1, f"opening took {seconds:.2f}s with the broker down"
    assert CensusTask.objects.filter(campaign=campaign).count() == 3
    assert "next sweep" in caplog.text  # the failed publish was noticed and logged, not shown to the user

    task = CensusTask.objects.get(member=county.yuan)
    seconds, response = _timed_post(
        login(county.secretary),
        reverse("members:censustask_answer", args=[task.pk]),
        {"contacted": "false", "result": "lost", "lost_cause": "other", "note": "电话空号"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert seconds < 1, f"saving a result took {seconds:.2f}s with the broker down"
    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow.status == OutflowStatus.LOST
    # "Campaign opened" was written in the opening transaction: nothing was lost, nothing could be sent yet …
    waiting = Notification.objects.filter(kind=NotificationKind.CAMPAIGN_OPENED)
    assert waiting.exists() and set(waiting.values_list("status", flat=True)) == {NotificationStatus.PENDING}

    _use_broker(None)  # … the broker is back: the every-minute dispatch sends what waits
    from lanshan_party.tasks import dispatch_due_notifications

    dispatch_due_notifications.apply()
    opened = Notification.objects.get(
        recipient=county.secretary, kind=NotificationKind.CAMPAIGN_OPENED, channel=Channel.IN_APP
    )
    assert opened.status == NotificationStatus.SENT


@pytest.fixture
def worker(live_server):
    """A real Celery worker process on the Redis broker and this test's own PostgreSQL database."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "REDIS_URL": REDIS, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lanshan_party",
            "worker",
            "--pool",
            "solo",
            "-n",
            f"census-{os.getpid()}@localhost",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    _use_broker(REDIS)
    app.control.purge()  # messages left on the test broker by an earlier run are not this test's
    yield process
    _use_broker(None)
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.skipif(not REDIS, reason="no TEST_REDIS_URL: no Redis to run a real worker against")
@pytest.mark.django_db(transaction=True)
def test_a_campaign_opened_in_the_web_app_produces_its_notifications_through_a_real_worker(county, campaign, worker):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share with the test: PostgreSQL")
    response = login(county.county_staff).post(reverse("members:campaign_step", args=[campaign.pk, "open"]))
    assert response.status_code == 302

    deadline = time.monotonic() + 60
    sent = Notification.objects.none()
    while time.monotonic() < deadline:
        sent = Notification.objects.filter(kind=NotificationKind.CAMPAIGN_OPENED, status=NotificationStatus.SENT)
        if sent.filter(recipient=county.secretary).exists() and sent.filter(recipient=county.outsider).exists():
            break
        time.sleep(0.5)
    else:
        worker.terminate()
        output = worker.stdout.read().decode(errors="replace")[-3000:]
        pytest.fail(f"no reminder was sent through the worker within 60 s; worker said:\n{output}")
    assert sent.filter(recipient=county.secretary).count() == 1
    assert not sent.filter(recipient=county.secretary, body__contains="2").exists()  # 1 task, Huadu's own
