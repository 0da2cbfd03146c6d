"""Adding a domain needs no edit to lanshan_party/: the toy domain in tests/toy (an app in a settings module of its own)
gets a scoped list page, a ledger exported from it, a reminder in the sweeps and demo rows from load_demo."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_new_domain_gets_a_list_page_a_ledger_a_reminder_and_demo_rows_without_touching_lanshan_party():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ds=tests.toy.settings", "tests/toy"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "4 passed" in result.stdout
