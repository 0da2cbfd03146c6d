"""Ledger tests run their background jobs inline: where they are started (on commit), not in a thread."""

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def ledger_jobs_run_inline(settings: Any) -> None:
    """Background jobs run where they are started (on commit), not in a thread the test cannot wait for."""
    settings.LEDGER_EAGER_JOBS_IN_THREAD = False
    cache.clear()
