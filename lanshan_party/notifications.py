"""The one notification outbox: sweeps that write what is due, and the send step that delivers each row once.

A reminder is a row with a unique key (who, what, which period). Sweeps (each app's own, in `<app>/reminders.py`,
registered with `registry.register_sweep`) find what has come due and insert rows with `ignore_conflicts`, so
running a sweep twice writes nothing new. Sending claims a row with a conditional UPDATE (pending → sending), so a
task delivered twice sends once. A worker that dies mid-send leaves the row in "sending"; after CLAIM_TIMEOUT
`dispatch_due` sends it again only if it certainly never left (see `reclaim`): in-app exactly once; e-mail exactly
once, except a worker killed inside the hand-over to the mail server, which is marked "delivery unknown" rather than
risk a duplicate; SMS exactly once through a gateway that honours the idempotency key, otherwise like e-mail.
"""

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import override

from lanshan_party import registry
from lanshan_party.models import COUNTY_ROLES, Channel, Notification, NotificationKind, NotificationStatus, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A send takes seconds (EMAIL_TIMEOUT bounds the mail server): a row still "sending" after this lost its worker.
CLAIM_TIMEOUT = datetime.timedelta(minutes=2)
# Kinds urgent enough to go out as a text message too, to users who gave a mobile number.
SMS_KINDS = (NotificationKind.CAMPAIGN_DEADLINE, NotificationKind.CAMPAIGN_OVERDUE)
# Messages to someone without an account (a member's personal link) are composed when they are sent: the app that
# wrote them names, by the first part of their key, a function giving (address, text), so the address is decrypted
# only here and a secret in the text (a token) never sits in the outbox in clear. The row's recipient is the user
# who had it sent.
COMPOSERS: dict[str, Callable[[Notification], tuple[str, str]]] = {}


@dataclass(frozen=True)
class Reminder:
    """What a sweep wants said to one user; it becomes one outbox row per channel."""

    key: str
    recipient: User
    kind: str
    subject: str
    body: str
    link: str = ""


def write(reminders: Iterable[Reminder], *, due_at: datetime.datetime | None = None) -> int:
    """Put the reminders in the outbox, on every channel the recipient can receive; keys already there are
    skipped, so writing the same reminders again adds nothing. Returns the number of new rows."""
    due_at = due_at or timezone.now()
    rows = []
    for reminder in reminders:
        channels = [Channel.IN_APP]
        if reminder.recipient.email:
            channels.append(Channel.EMAIL)
        if reminder.recipient.mobile and reminder.kind in SMS_KINDS:
            channels.append(Channel.SMS)
        for channel in channels:
            rows.append(
                Notification(
                    key=f"{reminder.key}:{channel}",
                    recipient=reminder.recipient,
                    kind=reminder.kind,
                    channel=channel,
                    subject=reminder.subject[:200],
                    body=reminder.body,
                    link=reminder.link,
                    due_at=due_at,
                )
            )
    if not rows:
        return 0
    keys = [row.key for row in rows]
    before = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(set(keys) - before)


# ------------------------------------------------------------------------------------------- sending


def message_id(notification: Notification) -> str:
    """One Message-ID per notification, whatever happens: a mail client shows a message delivered twice once."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:16]
    return f"<notification-{notification.pk}.{digest}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def _hand_over(notification: Notification) -> None:
    """Mark the moment of no return: from here on the message may reach the person even if this worker dies."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(handed_at=timezone.now())


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.IN_APP:
        return  # marking it sent puts it in the inbox
    composer = COMPOSERS.get(notification.key.split(":", 1)[0])
    if composer is not None:
        address, text = composer(notification)
        _send_to(notification, address, text)
        return
    link = f"{settings.SITE_URL.rstrip('/')}{notification.link}" if notification.link else ""
    text = "\n\n".join(part for part in (notification.body, link) if part)
    if notification.channel == Channel.EMAIL:
        message = EmailMessage(
            notification.subject,
            text,
            None,
            [notification.recipient.email],
            headers={"Message-ID": message_id(notification)},
        )
        # Connect first: a mail server that is down or slow fails here, before the hand-over, and is retried.
        with get_connection(fail_silently=False) as connection:
            _hand_over(notification)
            connection.send_messages([message])
    elif notification.channel == Channel.SMS:
        backend = sms_backend()
        _hand_over(notification)
        backend.send(notification.recipient.mobile, f"{notification.subject} {link}".strip(), key=notification.key)


def _send_to(notification: Notification, address: str, text: str) -> None:
    if notification.channel == Channel.EMAIL:
        message = EmailMessage(
            notification.subject, text, None, [address], headers={"Message-ID": message_id(notification)}
        )
        with get_connection(fail_silently=False) as connection:
            _hand_over(notification)
            connection.send_messages([message])
    elif notification.channel == Channel.SMS:
        backend = sms_backend()
        _hand_over(notification)
        backend.send(address, text, key=notification.key)


def send(notification_id: int) -> str:
    """Claim the notification and deliver it. Returns what happened: sent, retry, failed or skipped."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, due_at__lte=now
    ).update(status=NotificationStatus.SENDING, claimed_at=now, handed_at=None, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"  # sent already, being sent by another worker, or not due
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        with override(settings.LANGUAGE_CODE):
            _deliver(notification)
    except Exception as error:  # a mail server or gateway failure: retry later, then give up
        logger.warning("Sending notification %s failed: %s", notification_id, error)
        failed = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.FAILED if failed else NotificationStatus.PENDING,
            due_at=now + datetime.timedelta(minutes=5 * 2**notification.attempts),
            last_error=str(error)[:300],
        )
        return "failed" if failed else "retry"
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def reclaim(now: datetime.datetime) -> dict[str, int]:
    """Sends a dead worker left in "sending": retried when the message certainly never left (not yet handed over,
    in-app, or a gateway that drops repeats of a key); otherwise marked "delivery unknown" and never sent twice."""
    stuck = Notification.objects.filter(status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    safe = Q(handed_at__isnull=True) | Q(channel=Channel.IN_APP)
    if getattr(sms_backend(), "idempotent", False):
        safe |= Q(channel=Channel.SMS)
    retried = stuck.filter(safe).update(status=NotificationStatus.PENDING)
    uncertain = stuck.exclude(safe).update(
        status=NotificationStatus.UNCERTAIN,
        last_error="The worker stopped while handing this message over; it may have been delivered, so it is not "
        "sent again.",
    )
    if uncertain:
        logger.warning("%d notifications may or may not have been delivered (worker stopped mid-send)", uncertain)
    return {"retried": retried, "uncertain": uncertain}


def dispatch_due(now: datetime.datetime | None = None) -> int:
    """Queue a send task for every due notification. With no broker (eager) the sends happen right here."""
    from lanshan_party.tasks import send_notification

    now = now or timezone.now()
    reclaim(now)
    ids = list(Notification.objects.due(now).order_by("due_at", "pk").values_list("pk", flat=True)[:5000])
    for pk in ids:
        send_notification.apply_async(args=[pk])
    return len(ids)


class ConsoleSMSBackend:
    """Writes text messages to the log. A real gateway is a class with the same `send(phone, text, *, key)`, named in
    SMS_BACKEND; `key` is unique per message: pass it as the gateway's idempotency key (client message id) and set
    `idempotent = True`, and a send cut off by a dying worker is safely sent again (the gateway drops the repeat)."""

    idempotent = True  # nothing leaves the machine: writing the log line twice harms nobody

    def send(self, phone: str, text: str, *, key: str) -> None:
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


class LocmemSMSBackend:
    """Keeps text messages in memory, for tests; like a real gateway it drops a repeat of a key it has seen."""

    idempotent = True
    outbox: list[tuple[str, str]] = []
    keys: set[str] = set()

    def send(self, phone: str, text: str, *, key: str) -> None:
        if key in LocmemSMSBackend.keys:
            return
        LocmemSMSBackend.keys.add(key)
        LocmemSMSBackend.outbox.append((phone, text))


def sms_backend() -> ConsoleSMSBackend:
    return import_string(settings.SMS_BACKEND)()


# ------------------------------------------------------------------------------------------- recipients


def secretaries_of(organization_ids: Iterable[int]) -> dict[int, list[User]]:
    """{organization id: the active secretaries bound to it}: who answers for that organization's members."""
    result: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.secretaries_of(organization_ids).order_by("pk"):
        result[user.organization_id].append(user)
    return result


def county_users() -> list[User]:
    return list(User.objects.filter(role__in=COUNTY_ROLES, is_active=True).order_by("pk"))


# ------------------------------------------------------------------------------------------- sweeps


def digest(counts: dict[int, int], *, kind: str, key: str, subject: str, body: str, link: str) -> list[Reminder]:
    """One reminder per secretary of each organization in counts ({organization id: members concerned}), its
    subject and body formatted with the count, its link narrowed to that organization."""
    reminders = []
    for org_id, users in secretaries_of(counts).items():
        for user in users:
            values = {"count": counts[org_id]}
            reminders.append(
                Reminder(
                    key=f"{key}:{user.pk}",
                    recipient=user,
                    kind=kind,
                    subject=subject % values,
                    body=body % values,
                    link=f"{link}{'&' if '?' in link else '?'}organization={org_id}",
                )
            )
    return reminders


def sweep_all(today: datetime.date | None = None) -> dict[str, int]:
    """Run every app's registered sweep, then queue what is due. Returns the new outbox rows per sweep, and how many
    were queued."""
    today = today or timezone.localdate()
    written = {name: sweep(today) for name, sweep in registry.SWEEPS.items()}
    written["queued"] = dispatch_due()
    return written
