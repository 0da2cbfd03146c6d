"""Self-service workflows: sending a personal link through the outbox, a member opening it and answering, the
secretary's review (which changes the member only through the outflow and census workflows), and the public page's
requests. Every step writes its audit entry, with the client's real address for the steps a member takes."""

import datetime
import hmac
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party import audit
from lanshan_party.models import AuditAction, Channel, Notification, NotificationKind, User
from lanshan_party.personal_data import decrypt, encrypt
from members import actions as member_actions
from members import census
from members.models import CampaignStatus, CensusCampaign, CensusStatus, CensusTask, Member, OutflowStatus, Standing
from organizations.models import Organization
from selfservice.apps import LINK_KEY_PREFIX
from selfservice.models import (
    MAX_FAILED_TRIES,
    CensusLinkRun,
    LinkChannel,
    PersonalLink,
    PublicRequest,
    Purpose,
    RequestStatus,
    ReviewStatus,
    SelfReport,
)
from selfservice.tokens import hash_token, looks_like_token, new_token

logger = logging.getLogger(__name__)

# The outbox kind of a personal link (not one of the reminder kinds users read in the application).
LINK_KIND = NotificationKind.PERSONAL_LINK
# What a census self-answer says in the task's note: ContactChannel has no value for it.
SELF_CHANNEL_NOTE = "自助"

PURPOSE_ASKS = {
    Purpose.WHEREABOUTS: gettext_lazy("confirm or correct your whereabouts"),
    Purpose.YEARLY_REPORT: gettext_lazy("make your yearly report to the Party organization"),
    Purpose.CHANGE: gettext_lazy("report a change of your circumstances"),
    Purpose.CENSUS: gettext_lazy("answer this census of flowing members"),
}


def link_url(token: str) -> str:
    return reverse("selfservice:link", args=[token])


# ------------------------------------------------------------------------------------------- sending


def _write_message(link: PersonalLink, token: str, *, by: User | None) -> None:
    """The outbox row carrying the link: the token encrypted in it, the address found only when it is sent."""
    recipient = by or link.sent_by
    assert recipient is not None, "a link is always sent by somebody"
    Notification.objects.create(
        key=f"{LINK_KEY_PREFIX}:{link.pk}:{link.channel}",
        recipient=recipient,
        kind=LINK_KIND,
        channel=Channel.SMS if link.channel == LinkChannel.SMS else Channel.EMAIL,
        subject=_("Your personal link from the Lanshan County Party organization"),
        body=encrypt(token),
    )


def compose_link_message(notification: Notification) -> tuple[str, str]:
    """(address, text) of a personal-link message, at send time: the member's phone (or the address the secretary
    gave) is decrypted here, in the worker."""
    link = PersonalLink.objects.select_related("member").get(pk=int(notification.key.split(":")[1]))
    token = decrypt(notification.body)
    address = link.member.phone if link.channel == LinkChannel.SMS else link.email
    if not address:
        raise ValueError("the member has no address for this channel any more")
    expires = timezone.localtime(link.expires_at).strftime("%Y-%m-%d")
    url = f"{settings.SITE_URL.rstrip('/')}{link_url(token)}"
    text = _(
        "Lanshan County Organization Department: comrade %(name)s, please open your personal link by %(day)s to "
        "%(ask)s: %(url)s You will need the last 4 characters of your ID number. If you are not the addressee, "
        "ignore this message."
    ) % {"name": link.member.name, "day": expires, "ask": PURPOSE_ASKS[Purpose(link.purpose)], "url": url}
    return address, text


@transaction.atomic
def send_link(
    member: Member,
    *,
    purpose: str,
    by: User | None,
    channel: str = LinkChannel.SMS,
    email: str = "",
    census_task: CensusTask | None = None,
) -> PersonalLink:
    """Make a personal link for the member and put it in the outbox. An unused earlier link of the same purpose is
    revoked: one live link per member and purpose."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.standing != Standing.NORMAL:
        raise ValidationError(_("%(name)s is no longer on the roll: no link can be sent.") % {"name": member.name})
    if channel == LinkChannel.SMS and not member.phone:
        raise ValidationError(
            _("%(name)s has no phone number on record. Add it on the member's page, or send the link by e-mail.")
            % {"name": member.name}
        )
    if channel == LinkChannel.EMAIL and not email.strip():
        raise ValidationError({"email": _("Give the member's e-mail address to send the link to.")})
    if purpose == Purpose.CENSUS and census_task is None:
        raise ValidationError(_("A census link is sent from the census campaign page."))
    now = timezone.now()
    earlier = PersonalLink.objects.filter(member=member, purpose=purpose, census_task=census_task).usable()
    earlier.update(revoked_at=now)
    token = new_token()
    link = PersonalLink(
        member=member,
        purpose=purpose,
        organization_id=member.responsible_organization_id,
        home_branch_id=member.home_branch_id,
        census_task=census_task,
        token_hash=hash_token(token),
        channel=channel,
        email=email.strip() if channel == LinkChannel.EMAIL else "",
        expires_at=now + datetime.timedelta(days=settings.PERSONAL_LINK_DAYS),
        sent_by=by if by is not None and by.is_authenticated else None,
    )
    link.save()
    if link.sent_by is not None:
        _write_message(link, token, by=link.sent_by)
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=member,
        note=_("Personal link sent (%(purpose)s, by %(channel)s, valid until %(day)s)")
        % {
            "purpose": link.get_purpose_display(),
            "channel": link.get_channel_display(),
            "day": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
        },
    )
    _dispatch_soon()
    return link


def _dispatch_soon() -> None:
    from lanshan_party.tasks import dispatch_due_notifications, enqueue

    enqueue(dispatch_due_notifications)


@transaction.atomic
def revoke_link(link: PersonalLink, *, by: User) -> PersonalLink:
    link = PersonalLink.objects.select_for_update().get(pk=link.pk)
    if link.is_usable:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(AuditAction.WORKFLOW, actor=by, obj=link.member, note=_("Personal link revoked"))
    return link


# ------------------------------------------------------------------------------------------- the member's side


def find_link(token: str) -> PersonalLink | None:
    """The usable link of this token, or None, with the same work done whatever is wrong with it (a hash, one indexed
    lookup): an unknown, expired, revoked, locked or spent link are all just None."""
    digest = hash_token(token)
    if not looks_like_token(token):
        digest = "0" * 64  # still one lookup, which finds nothing
    link = PersonalLink.objects.select_related("member").filter(token_hash=digest).first()
    if link is None or not link.is_usable:
        audit.record(
            AuditAction.LOGIN_FAILED,
            actor=None,
            obj=link,
            object_repr=str(_("personal link")) if link is None else "",
            note=_("A personal link that is unknown, expired, revoked, locked or already answered was opened")
            if link is None
            else _("Personal link opened while %(state)s") % {"state": link.state},
        )
        return None
    return link


@transaction.atomic
def check_digits(link: PersonalLink, digits: str) -> bool:
    """The last four characters of the member's ID number. A wrong answer counts; the fifth locks the link."""
    link = PersonalLink.objects.select_for_update().select_related("member").get(pk=link.pk)
    if not link.is_usable:
        return False
    expected = str(link.member.id_number)[-4:].upper()
    if hmac.compare_digest(digits.strip().upper().encode(), expected.encode()):
        audit.record(AuditAction.LOGIN, actor=None, obj=link.member, note=_("Personal link opened with the ID digits"))
        return True
    link.failed_tries += 1
    fields = ["failed_tries"]
    note = _("Wrong ID digits on a personal link (%(n)d of %(max)d)") % {
        "n": link.failed_tries,
        "max": MAX_FAILED_TRIES,
    }
    if link.failed_tries >= MAX_FAILED_TRIES:
        link.locked_at = timezone.now()
        fields.append("locked_at")
        note = _("Personal link locked after %(max)d wrong ID digits") % {"max": MAX_FAILED_TRIES}
    link.save(update_fields=fields)
    audit.record(AuditAction.LOGIN_FAILED, actor=None, obj=link.member, note=note)
    return False


@transaction.atomic
def submit_report(link: PersonalLink, *, ip: str | None = None, **answers: Any) -> SelfReport:
    """The member's answer: kept for review, the link spent. A second submit finds the link spent and is refused."""
    link = PersonalLink.objects.select_for_update().select_related("member").get(pk=link.pk)
    if not link.is_usable:
        raise ValidationError(_("This link has already been used or is no longer valid."))
    report = SelfReport(
        link=link,
        member=link.member,
        purpose=link.purpose,
        organization_id=link.organization_id,
        home_branch_id=link.home_branch_id,
        ip=ip,
        **answers,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(_("This link has already been used or is no longer valid.")) from None
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit.record_create(report, actor=None, note=_("Sent by the member through a personal link"))
    return report


# ------------------------------------------------------------------------------------------- review


def _note(report: SelfReport, decision: str, note: str) -> str:
    text = _("Self-report of %(day)s (%(purpose)s) %(decision)s") % {
        "day": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d"),
        "purpose": report.get_purpose_display(),
        "decision": ReviewStatus(decision).label,
    }
    return f"{text}：{note}" if note else text


def _apply_whereabouts(report: SelfReport, values: dict[str, Any], *, by: User, note: str) -> None:
    member = Member.objects.select_related("current_outflow").get(pk=report.member_id)
    outflow = member.current_outflow
    if report.purpose == Purpose.CENSUS:
        assert report.link.census_task_id is not None, "a census link names its task"
        task = CensusTask.objects.select_related("campaign").get(pk=report.link.census_task_id)
        if task.campaign.status != CampaignStatus.OPEN:
            raise ValidationError(_("The census campaign is closed: this answer can no longer be accepted."))
        result = CensusStatus.NORMAL
        whereabouts = None
        if outflow is not None and values["returned_home"]:
            result = CensusStatus.RETURNED
        elif outflow is not None:
            whereabouts = {k: values[k] for k in ("province", "city", "district", "address", "employer")}
            current = {k: getattr(outflow, k) for k in whereabouts}
            if whereabouts != current or outflow.status == OutflowStatus.LOST:
                result = CensusStatus.UPDATED
        census.record_result(
            task,
            by=by,
            contacted=True,
            channel="",
            result=result,
            note=f"{SELF_CHANNEL_NOTE}：{note}",
            whereabouts=whereabouts if result == CensusStatus.UPDATED else None,
        )
        return
    if outflow is None:
        if values["returned_home"]:
            return  # at home, as the records say
        raise ValidationError(
            _("%(name)s has no open outflow: register the departure on the member's page first, then accept.")
            % {"name": member.name}
        )
    if values["returned_home"]:
        if outflow.status == OutflowStatus.LOST:
            outflow = member_actions.mark_found(outflow, by=by, note=note)
        member_actions.return_home(outflow, by=by, note=note)
        return
    if outflow.status == OutflowStatus.LOST:
        outflow = member_actions.mark_found(outflow, by=by, note=note)
    member_actions.update_whereabouts(
        outflow, by=by, note=note, **{k: values[k] for k in ("province", "city", "district", "address", "employer")}
    )


def _apply_phone(report: SelfReport, phone: str, *, by: User, note: str) -> None:
    member = Member.objects.select_for_update().get(pk=report.member_id)
    if not phone or phone == member.phone:
        return
    before = audit.snapshot(member)
    member.phone = phone
    member.save()
    audit.record_update(member, before, actor=by, note=note)


@transaction.atomic
def review_report(
    report: SelfReport, *, by: User, decision: str, values: dict[str, Any] | None = None, note: str = ""
) -> SelfReport:
    """Accept (as sent, or with the secretary's corrections) or reject a self-report. Accepting changes the member
    through the workflows every other change takes: outflow steps, a census result, an audited phone change."""
    report = SelfReport.objects.select_for_update().select_related("link").get(pk=report.pk)
    if report.status != ReviewStatus.PENDING:
        raise ValidationError(
            _("This self-report was already reviewed (%(status)s). Reload the queue.")
            % {"status": report.get_status_display()}
        )
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise ValidationError(_("Choose to accept or to reject."))
    if decision == ReviewStatus.REJECTED and not note.strip():
        raise ValidationError({"review_note": _("Say why the self-report is rejected, so the member can be told.")})
    before = audit.snapshot(report)
    sent = {**report.whereabouts(), "returned_home": report.returned_home, "phone": report.phone}
    values = {**sent, **(values or {})}
    if decision == ReviewStatus.ACCEPTED:
        if values != sent:
            decision = ReviewStatus.CORRECTED
            for field, value in values.items():
                setattr(report, field, value)
        text = _note(report, decision, note.strip())
        if report.purpose in (Purpose.WHEREABOUTS, Purpose.CENSUS):
            _apply_whereabouts(report, values, by=by, note=text)
            _apply_phone(report, values["phone"], by=by, note=text)
    report.status = decision
    report.reviewed_by, report.reviewed_at, report.review_note = by, timezone.now(), note.strip()
    report.save()
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=report,
        changes=audit.diff(before, audit.snapshot(report)),
        note=_note(report, decision, note.strip()),
    )
    return report


# ------------------------------------------------------------------------------------------- the public page


@transaction.atomic
def leave_request(organization: Organization, *, ip: str | None, **fields: Any) -> PublicRequest:
    if organization.kind != "flowing" or not organization.is_active:
        raise ValidationError({"organization": _("Choose one of the organizations listed for the city.")})
    request = PublicRequest.objects.create(organization=organization, ip=ip, **fields)
    audit.record_create(request, actor=None, note=_("Left on the public page"))
    return request


@transaction.atomic
def handle_request(request: PublicRequest, *, by: User, status: str, note: str = "") -> PublicRequest:
    request = PublicRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already handled. Reload the queue."))
    if status not in (RequestStatus.HANDLED, RequestStatus.DISMISSED):
        raise ValidationError(_("Choose contacted or dismissed."))
    before = audit.snapshot(request)
    request.status, request.note = status, note.strip()
    request.handled_by, request.handled_at = by, timezone.now()
    request.save()
    audit.record_update(request, before, actor=by)
    return request


# ------------------------------------------------------------------------------------------- census by link


@transaction.atomic
def queue_census_links(campaign: CensusCampaign, *, by: User) -> CensusLinkRun:
    """Ask for every covered member with a phone to get their census link; a job does the sending, so this is fast."""
    from lanshan_party.tasks import enqueue
    from selfservice.tasks import send_census_links_task

    campaign = CensusCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Open the campaign first: its tasks are what the links answer."))
    run = CensusLinkRun.objects.filter(campaign=campaign, finished_at__isnull=True).first()
    if run is None:
        run = CensusLinkRun.objects.create(campaign=campaign, requested_by=by)
        audit.record(AuditAction.WORKFLOW, actor=by, obj=campaign, note=_("Census links requested for its members"))
    enqueue(send_census_links_task, run.pk)
    return run


def run_census_links(run_id: int) -> int:
    """Send the census link of every unanswered task whose member has a phone and no link for it yet; safe to run
    twice (one link per task). Returns the links sent."""
    run = CensusLinkRun.objects.select_related("campaign", "requested_by").get(pk=run_id)
    if run.finished_at is not None:
        return 0
    tasks = (
        CensusTask.objects.filter(campaign=run.campaign, answered_at__isnull=True, member__standing=Standing.NORMAL)
        .exclude(member__phone_hash="")
        .exclude(pk__in=PersonalLink.objects.filter(census_task__campaign=run.campaign).values("census_task_id"))
        .select_related("member")
        .order_by("pk")
    )
    sent = 0
    for task in tasks.iterator(chunk_size=500):
        try:
            send_link(task.member, purpose=Purpose.CENSUS, by=run.requested_by, census_task=task)
            sent += 1
        except (ValidationError, IntegrityError) as error:
            logger.info("No census link for task %s: %s", task.pk, error)
    CensusLinkRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), sent=run.sent + sent)
    return sent
