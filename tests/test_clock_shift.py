"""`pytest --clock-shift DAYS` really moves the clock the suite sees (CI runs the suite a year ahead and behind)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif("EXPECTED_TODAY" not in os.environ, reason="run by the test below, in a pytest of its own")
def test_today_is_the_day_the_clock_shift_names():
    expected = datetime.date.fromisoformat(os.environ["EXPECTED_TODAY"])
    # The day after too: the outer test may have computed it just before midnight.
    assert timezone.localdate() in (expected, expected + datetime.timedelta(days=1))


@pytest.mark.parametrize("days", [400, -400])
def test_the_clock_shift_option_moves_django_s_today(days, request):
    if request.config.getoption("--clock-shift"):
        pytest.skip("this run's own clock is moved: the inner run would start from the real one")
    expected = timezone.localdate() + datetime.timedelta(days=days)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            f"--clock-shift={days}",
            f"{__file__}::{test_today_is_the_day_the_clock_shift_names.__name__}",
        ],
        cwd=ROOT,
        env={**os.environ, "EXPECTED_TODAY": expected.isoformat(), "DATABASE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
