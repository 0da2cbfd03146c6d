"""The Celery application. Without REDIS_URL tasks run eagerly in the web process."""

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanshan_party.settings")

app = Celery("lanshan_party")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _patient_broker(conf: Any) -> None:
    """The settings make the broker client give up fast, which is right for a web request (it must never wait on
    the broker; the sweeps publish what it could not). A worker or the beat is the opposite: it should wait out a
    broker restart, reconnecting for ever, instead of exiting and relying on its supervisor."""
    options = dict(conf.broker_transport_options or {})
    options.pop("max_retries", None)
    options.update(socket_timeout=30, socket_connect_timeout=5, interval_max=5)
    conf.broker_transport_options = options
    conf.broker_connection_max_retries = None
    conf.broker_connection_retry_on_startup = True


@celeryd_init.connect
def worker_waits_for_the_broker(sender: Any = None, conf: Any = None, **kwargs: Any) -> None:
    _patient_broker(conf if conf is not None else app.conf)


@beat_init.connect
def beat_waits_for_the_broker(sender: Any = None, **kwargs: Any) -> None:
    _patient_broker(sender.app.conf if sender is not None else app.conf)
