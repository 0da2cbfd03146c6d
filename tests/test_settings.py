"""Settings come from the environment, and `.env.example` documents every variable they read."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_variable_the_settings_read():
    settings_source = (ROOT / "lanshan_party" / "settings.py").read_text()
    read = set(re.findall(r'(?:getenv|envbool|envint|envlist)\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert len(read) > 15
    assert sorted(read - documented) == []


def start_django(**env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "lanshan_party.settings", "PATH": "", **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_refuse_to_start_without_their_keys():
    result = start_django(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_mistyped_boolean_is_a_clear_error():
    result = start_django(DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr
