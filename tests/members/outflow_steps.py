"""The outflow tests' helpers: a departure to Huadu, steps through the page, what a refused step must leave."""

import datetime

from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditEntry
from members import actions
from members.models import (
    Member,
    Outflow,
    OutflowEventKind,
    OutflowStatus,
)

S = OutflowStatus
K = OutflowEventKind
STEPS = actions.STEPS


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def away(member, user, departure=None, **fields):
    """Register a departure for the member to Guangzhou Huadu, 60 days ago unless told."""
    destination = {"province": "广东省", "city": "广州市", "district": "花都区", **fields}
    return actions.register_outflow(member, by=user, departure_date=departure or days_ago(60), **destination)


def reload(outflow):
    return Outflow.objects.get(pk=outflow.pk)


def kinds(outflow):
    return list(outflow.events.order_by("at", "id").values_list("kind", flat=True))


def snapshot(outflow):
    """Everything a refused transition must leave alone."""
    outflow = reload(outflow)
    member = Member.objects.get(pk=outflow.member_id)
    return (
        outflow.status,
        outflow.status_before_lost,
        outflow.reported_on,
        outflow.ended_on,
        outflow.lost_cause,
        outflow.lost_on,
        outflow.relationship_transferred,
        member.current_outflow_id,
        outflow.events.count(),
        AuditEntry.objects.count(),
    )


def outflow_post_data(**overrides):
    data = {
        "departure_date": days_ago(30).isoformat(),
        "province": "广东省",
        "city": "广州市",
        "district": "花都区",
        "address": "新华街道",
        "scope": "cross_province",
        "reason": "work",
        "industry": "制造业",
        "employer": "花都皮具厂",
        "flowing_org": "",
        "note": "春节后外出务工",
    }
    data.update(overrides)
    return data


def step(client, outflow, event, on=None, **data):
    url = reverse("members:outflow_transition", args=[outflow.pk, event])
    return client.post(url, {"on": (on or today()).isoformat(), **data})
