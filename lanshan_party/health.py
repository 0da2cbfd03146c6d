"""/healthz for monitoring: the database, the broker and the age of the last sweep. No login, and no data in it."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

# The dispatch sweep runs every minute: five quiet minutes mean the beat or every worker has stopped.
SWEEP_LATE_AFTER = datetime.timedelta(minutes=5)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any driver error: monitoring wants the word, not the traceback
        return f"down: {type(error).__name__}"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "none (tasks run in the web process)"
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=0.3, socket_timeout=0.3)
        client.ping()
        return "ok"
    except Exception as error:  # refused, timed out (hung), authentication...
        return f"down: {type(error).__name__}"


def _last_sweep_age(database: str) -> float | None:
    if database != "ok":
        return None
    from lanshan_party.models import Heartbeat

    beat = Heartbeat.objects.filter(name="dispatch").values_list("at", flat=True).first()
    return round((timezone.now() - beat).total_seconds(), 1) if beat else None


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    broker = _broker()
    age = _last_sweep_age(database)
    degraded = broker.startswith("down") or (
        not settings.CELERY_TASK_ALWAYS_EAGER and (age is None or age > SWEEP_LATE_AFTER.total_seconds())
    )
    body = {
        "status": "down" if database != "ok" else ("degraded" if degraded else "ok"),
        "database": database,
        "broker": broker,
        "last_sweep_age_seconds": age,
    }
    return JsonResponse(body, status=503 if database != "ok" else 200)
