"""Sending a personal link the way production does (the outbox and its SMS backend), and reading it back off the phone."""

import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from lanshan_party import notifications
from lanshan_party.models import Notification
from lanshan_party.notifications import LocmemSMSBackend
from selfservice import actions
from selfservice.models import PersonalLink

LINK_IN_TEXT = re.compile(r"/m/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def text_messages_in_memory(settings: object) -> None:
    settings.SMS_BACKEND = "lanshan_party.notifications.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    LocmemSMSBackend.keys.clear()
    cache.clear()  # rate-limit windows of an earlier test


def deliver(link: PersonalLink) -> str:
    """Send the link's outbox row; return the text the member's phone received."""
    notification = Notification.objects.get(key__startswith=f"personal-link:{link.pk}:")
    assert notifications.send(notification.pk) == "sent"
    return LocmemSMSBackend.outbox[-1][1]


def token_of(text: str) -> str:
    return LINK_IN_TEXT.search(text)[1]


def send(member: object, purpose: str, by: object, **kwargs: object) -> tuple[PersonalLink, str]:
    """A personal link sent and delivered: (the link, its token as the member's phone shows it)."""
    link = actions.send_link(member, purpose=purpose, by=by, **kwargs)
    return link, token_of(deliver(link))


@pytest.fixture
def digits() -> object:
    return lambda member: str(member.id_number)[-4:]


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    return county
