"""The Celery app is wired: a real worker process starts against Redis and answers."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS, reason="no TEST_REDIS_URL: no Redis to run a real worker against")


@pytest.fixture
def worker() -> object:
    env = {**os.environ, "REDIS_URL": REDIS, "DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "lanshan_party.settings"}
    name = f"test-{os.getpid()}@localhost"
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
            name,
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield name
    process.terminate()
    process.wait(timeout=20)


def test_a_worker_started_with_redis_url_answers_on_the_broker(worker):
    from celery import Celery

    client = Celery("lanshan_party", broker=REDIS)
    replies: list = []
    deadline = time.monotonic() + 30
    while not replies and time.monotonic() < deadline:
        replies = client.control.ping(destination=[worker], timeout=1.0)
    assert replies and worker in replies[0]
