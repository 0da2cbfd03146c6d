"""/healthz tells monitoring whether the database, the broker and the sweeps are alive, without a login and without
any data."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import Heartbeat
from lanshan_party.tasks import dispatch_due_notifications


def test_healthz_answers_an_anonymous_client_with_the_state_of_each_part(db):
    response = Client().get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert set(body) == {"status", "database", "broker", "last_sweep_age_seconds"}
    assert body["database"] == "ok" and body["status"] == "ok"


def test_healthz_reports_the_age_of_the_last_dispatch_sweep(db):
    dispatch_due_notifications()
    assert Heartbeat.objects.filter(name="dispatch").exists()

    age = Client().get(reverse("healthz")).json()["last_sweep_age_seconds"]

    assert 0 <= age < 60


def test_a_broker_that_does_not_answer_makes_healthz_degraded_not_slow(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    Heartbeat.objects.create(name="dispatch", at=timezone.now())

    body = Client().get(reverse("healthz")).json()

    assert body["status"] == "degraded" and body["broker"].startswith("down")


def test_sweeps_that_stopped_make_healthz_degraded(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    Heartbeat.objects.create(name="dispatch", at=timezone.now() - datetime.timedelta(minutes=30))

    body = Client().get(reverse("healthz")).json()

    assert body["status"] == "degraded" and body["last_sweep_age_seconds"] > 1700


def test_healthz_is_served_over_plain_http_on_the_loopback_even_with_the_https_redirect_on(db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/healthz").status_code == 200
    assert Client().get(reverse("login")).status_code == 301
