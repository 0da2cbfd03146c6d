"""Each reminder reaches its recipient once per channel even when the worker is killed mid-send: a send that
certainly never left is sent again; one cut off inside the hand-over to the mail server is marked "delivery
unknown" instead of being sent twice; an SMS gateway that honours the idempotency key is simply asked again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from lanshan_party import notifications
from lanshan_party.models import Channel, Notification, NotificationKind, NotificationStatus
from lanshan_party.notifications import LocmemSMSBackend


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside a test: nothing after this line of the send runs."""


@pytest.fixture(autouse=True)
def text_messages_in_memory(settings):
    settings.SMS_BACKEND = "lanshan_party.notifications.LocmemSMSBackend"
    LocmemSMSBackend.outbox = []
    LocmemSMSBackend.keys = set()


@pytest.fixture
def reminder(county):
    county.secretary.email, county.secretary.mobile = "huadu@example.cn", "13800138000"
    county.secretary.save()
    notifications.write(
        [
            notifications.Reminder(
                key="campaign:1:deadline",
                recipient=county.secretary,
                kind=NotificationKind.CAMPAIGN_DEADLINE,
                subject="春节摸排还有3天截止",
                body="请尽快完成摸排任务。",
                link="/members/census/",
            )
        ]
    )
    return {row.channel: row for row in Notification.objects.all()}


def after_the_claim_timeout() -> datetime.datetime:
    return timezone.now() + notifications.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)


def kill_after(monkeypatch, target: str) -> None:
    """Kill the worker right after `target` (a function in notifications) has run."""
    original = getattr(notifications, target)

    def then_die(*args, **kwargs):
        original(*args, **kwargs)
        raise WorkerKilled

    monkeypatch.setattr(notifications, target, then_die)


def test_an_email_cut_off_after_the_mail_server_took_it_is_not_sent_again(reminder, monkeypatch):
    email = reminder[Channel.EMAIL]
    kill_after(monkeypatch, "_deliver")  # the server accepted it; the worker died before writing "sent"
    with pytest.raises(WorkerKilled):
        notifications.send(email.pk)
    monkeypatch.undo()
    assert len(mail.outbox) == 1

    notifications.dispatch_due(after_the_claim_timeout())

    email.refresh_from_db()
    assert email.status == NotificationStatus.UNCERTAIN
    assert len(mail.outbox) == 1


def test_an_email_whose_worker_died_before_the_hand_over_is_sent_once_later(reminder, monkeypatch):
    email = reminder[Channel.EMAIL]

    def die_connecting(*args, **kwargs):
        raise WorkerKilled

    monkeypatch.setattr(notifications, "get_connection", die_connecting)
    with pytest.raises(WorkerKilled):
        notifications.send(email.pk)
    monkeypatch.undo()
    assert mail.outbox == []
    assert notifications.dispatch_due(timezone.now()) == 2  # in-app and SMS; the e-mail is still claimed

    notifications.dispatch_due(after_the_claim_timeout())

    email.refresh_from_db()
    assert email.status == NotificationStatus.SENT and email.attempts == 2
    assert len(mail.outbox) == 1


def test_a_text_message_cut_off_mid_send_is_sent_again_and_the_gateway_drops_the_repeat(reminder, monkeypatch):
    sms = reminder[Channel.SMS]
    kill_after(monkeypatch, "_deliver")
    with pytest.raises(WorkerKilled):
        notifications.send(sms.pk)
    monkeypatch.undo()

    notifications.dispatch_due(after_the_claim_timeout())

    sms.refresh_from_db()
    assert sms.status == NotificationStatus.SENT
    assert LocmemSMSBackend.outbox == [("13800138000", "春节摸排还有3天截止 http://127.0.0.1:8000/members/census/")]


def test_a_text_message_through_a_gateway_without_idempotency_keys_is_not_repeated(reminder, monkeypatch):
    monkeypatch.setattr(LocmemSMSBackend, "idempotent", False)
    sms = reminder[Channel.SMS]
    original = notifications._deliver

    def deliver_then_die(notification):
        original(notification)
        raise WorkerKilled

    monkeypatch.setattr(notifications, "_deliver", deliver_then_die)
    with pytest.raises(WorkerKilled):
        notifications.send(sms.pk)
    monkeypatch.setattr(notifications, "_deliver", original)

    notifications.dispatch_due(after_the_claim_timeout())

    sms.refresh_from_db()
    assert sms.status == NotificationStatus.UNCERTAIN and len(LocmemSMSBackend.outbox) == 1


def test_an_in_app_reminder_whose_worker_died_is_delivered_once(reminder, monkeypatch, county):
    in_app = reminder[Channel.IN_APP]
    kill_after(monkeypatch, "_deliver")
    with pytest.raises(WorkerKilled):
        notifications.send(in_app.pk)
    monkeypatch.undo()

    notifications.dispatch_due(after_the_claim_timeout())

    in_app.refresh_from_db()
    assert in_app.status == NotificationStatus.SENT
    assert county.secretary.notifications.filter(channel=Channel.IN_APP).count() == 1


def test_every_reminder_email_carries_one_message_id_of_its_own(reminder):
    notifications.send(reminder[Channel.EMAIL].pk)

    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == notifications.message_id(reminder[Channel.EMAIL])
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{reminder[Channel.EMAIL].pk}.")
