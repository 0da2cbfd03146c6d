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


def settings_value(expression: str, **env: str) -> str:
    """A value of the settings as loaded in a fresh process with this environment."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "lanshan_party.settings", "PATH": "", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_cache_lives_in_another_redis_database_than_the_broker():
    env = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert settings_value("settings.CELERY_BROKER_URL", **env) == "redis://127.0.0.1:6379/0"
    assert settings_value("settings.CACHES['default']['LOCATION']", **env) == "redis://127.0.0.1:6379/1"
    assert settings_value("settings.CACHES['default']['LOCATION']", REDIS_URL="redis://h:6380") == "redis://h:6380/1"


def test_a_cache_url_of_its_own_is_used_and_the_brokers_database_is_refused():
    assert (
        settings_value("settings.CACHES['default']['LOCATION']", REDIS_URL="redis://h/0", CACHE_URL="redis://c:1/4")
        == "redis://c:1/4"
    )
    result = start_django(REDIS_URL="redis://h:6379/0", CACHE_URL="redis://h:6379/0")
    assert result.returncode != 0 and "CACHE_URL must not be the broker" in result.stderr


def test_production_settings_refuse_the_development_secret_key():
    result = start_django(
        DEBUG="false",
        SECRET_KEY="dev-only-secret-key-never-use-in-production-lanshan-431127",
        FIELD_ENCRYPTION_KEYS="x",
        BLIND_INDEX_KEY="y",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_a_worker_waits_out_a_broker_restart_while_web_requests_give_up_fast():
    from celery import Celery

    from lanshan_party.celery import _patient_broker

    web = Celery("lanshan_party")
    web.config_from_object("django.conf:settings", namespace="CELERY")
    assert web.conf.broker_transport_options["max_retries"] == 1  # a request never waits on the broker

    _patient_broker(web.conf)  # what a worker and the beat do when they start

    assert "max_retries" not in web.conf.broker_transport_options
    assert web.conf.broker_connection_max_retries is None
