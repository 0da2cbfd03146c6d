"""Census campaigns (摸排 / 三找): holiday windows from the lunar calendar, opening a campaign, recording results
through the outflow workflow, calling a member, progress, and the reminders the sweeps send."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lunar_python import Lunar

from lanshan_party import audit
from lanshan_party.models import AuditAction, AuditEntry, NotificationKind, Role, User
from lanshan_party.notifications import Reminder, county_users, write
from lanshan_party.scoping import within_scope
from members import actions
from members.models import (
    CampaignStatus,
    CensusCampaign,
    CensusStatus,
    CensusTask,
    Holiday,
    Member,
    OutflowStatus,
    Standing,
)
from organizations.models import Organization

BATCH = 5000
DEADLINE_NOTICE_DAYS = 3

# The census runs while members are home: from two weeks before Spring Festival to the Lantern Festival
# (正月十五), and around Mid-Autumn through the National Day holiday.
WINDOWS = {
    Holiday.SPRING_FESTIVAL: (datetime.timedelta(days=-14), datetime.timedelta(days=14)),
    Holiday.MID_AUTUMN: (datetime.timedelta(days=-5), datetime.timedelta(days=12)),
}


def holiday_date(holiday: str, year: int) -> datetime.date:
    """The Gregorian date of the holiday in that year: lunar 1/1 (春节) or lunar 8/15 (中秋)."""
    month, day = {Holiday.SPRING_FESTIVAL: (1, 1), Holiday.MID_AUTUMN: (8, 15)}[holiday]
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def proposed_window(holiday: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The census window the county usually runs around the holiday of that year."""
    day = holiday_date(holiday, year)
    before, after = WINDOWS[holiday]
    return day + before, day + after


def proposed_name(holiday: str, year: int) -> str:
    label = {Holiday.SPRING_FESTIVAL: "春节", Holiday.MID_AUTUMN: "中秋"}[holiday]
    return f"{year}年{label}流动党员摸排"


def members_in_scope(campaign: CensusCampaign) -> Any:
    """Members in normal standing of the covered organizations' subtrees (home branch or flowing organization)."""
    members = Member.objects.none()
    for organization in campaign.organizations.all():
        members = members | Member.objects.in_subtree(organization.path)
    return members.filter(standing=Standing.NORMAL)


@transaction.atomic
def open_campaign(campaign: CensusCampaign, *, by: User) -> int:
    """Open the campaign and give every member in scope a task. Opening again creates nothing new (the unique
    (campaign, member) constraint and ignore_conflicts), so a double click or a retry is harmless.
    Returns the number of tasks created."""
    from lanshan_party.tasks import dispatch_due_notifications, enqueue

    campaign = CensusCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed. Open a new campaign instead."))
    if not campaign.organizations.exists():
        raise ValidationError(_("Choose at least one organization for the campaign to cover."))
    before = CensusTask.objects.filter(campaign=campaign).count()
    # Members who have a task already are skipped here; ignore_conflicts covers two openings racing each other.
    rows = (
        members_in_scope(campaign)
        .exclude(pk__in=CensusTask.objects.filter(campaign=campaign).values("member_id"))
        .order_by("pk")
        .with_responsible()
        .values_list("pk", "responsible", "home_branch_id")
    )
    batch: list[CensusTask] = []
    for member_id, responsible_id, home_id in rows.iterator(chunk_size=BATCH):
        batch.append(
            CensusTask(campaign=campaign, member_id=member_id, organization_id=responsible_id, home_branch_id=home_id)
        )
        if len(batch) >= BATCH:
            CensusTask.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CensusTask.objects.bulk_create(batch, ignore_conflicts=True)
    created = CensusTask.objects.filter(campaign=campaign).count() - before
    if campaign.status == CampaignStatus.DRAFT:
        campaign.status = CampaignStatus.OPEN
        campaign.opened_at = timezone.now()
        campaign.save(update_fields=["status", "opened_at", "updated_at"])
        audit.record(
            AuditAction.WORKFLOW, actor=by, obj=campaign, note=_("Opened with %(count)d tasks") % {"count": created}
        )
    # "Campaign opened" goes into the outbox in this transaction, so it exists whatever the broker does; the send is
    # queued on commit, and a broker that is down only delays it until the every-minute dispatch.
    write(opened_reminders(campaign))
    enqueue(dispatch_due_notifications)
    return created


@transaction.atomic
def close_campaign(campaign: CensusCampaign, *, by: User) -> CensusCampaign:
    campaign = CensusCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Only an open campaign can be closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(AuditAction.WORKFLOW, actor=by, obj=campaign, note=_("Closed"))
    return campaign


@transaction.atomic
def record_result(
    task: CensusTask,
    *,
    by: User,
    contacted: bool,
    channel: str,
    result: str,
    note: str = "",
    lost_cause: str = "",
    whereabouts: dict[str, Any] | None = None,
) -> CensusTask:
    """Record what the secretary found, and bring the member's outflow in line through the outflow workflow:
    updated whereabouts, lost (into the lost register, with its cause), returned home, or found again."""
    task = (
        CensusTask.objects.select_for_update(of=("self",))
        .select_related("campaign", "member__current_outflow")
        .get(pk=task.pk)
    )
    if task.campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("This campaign is closed: its results can no longer be changed."))
    outflow = task.member.current_outflow
    step_note = _("Census “%(campaign)s”: %(note)s") % {"campaign": task.campaign, "note": note or "—"}
    if result in (CensusStatus.UPDATED, CensusStatus.LOST, CensusStatus.RETURNED) and outflow is None:
        raise ValidationError(
            {
                "result": _(
                    "This member has no open outflow: register a departure on their page first, or choose “normal”."
                )
            }
        )
    if result == CensusStatus.UPDATED:
        if not whereabouts or not whereabouts.get("province") or not whereabouts.get("city"):
            raise ValidationError({"result": _("Give the verified province and city when the information is updated.")})
        if outflow.status == OutflowStatus.LOST:
            outflow = actions.mark_found(outflow, by=by, note=step_note)
        actions.update_whereabouts(outflow, by=by, note=step_note, **whereabouts)
    elif result == CensusStatus.LOST:
        if outflow.status != OutflowStatus.LOST:
            actions.mark_lost(outflow, cause=lost_cause, by=by, note=step_note)
    elif result == CensusStatus.RETURNED:
        if outflow.status == OutflowStatus.LOST:
            outflow = actions.mark_found(outflow, by=by, note=step_note)
        actions.return_home(outflow, by=by, note=step_note)
    elif result == CensusStatus.NORMAL and outflow is not None and outflow.status == OutflowStatus.LOST:
        actions.mark_found(outflow, by=by, note=step_note)  # contacted again: out of the lost register
    before = audit.snapshot(task)
    task.contacted, task.channel, task.result, task.note = contacted, channel, result, note
    task.answered_at, task.answered_by = timezone.now(), by
    task.save()
    audit.record_update(task, before, actor=by)
    return task


def call_task_for(member: Member, user: User) -> CensusTask | None:
    """The user's task for the member in an open campaign, the one to call for (unanswered and newest first)."""
    task = (
        CensusTask.objects.visible_to(user)
        .filter(member=member, campaign__status=CampaignStatus.OPEN)
        .select_related("campaign")
        .order_by(F("answered_at").desc(nulls_first=True), "-campaign__starts_on", "-campaign_id")
        .first()
    )
    if task is not None:
        task.member = member  # the page has it already
    return task


@transaction.atomic
def reveal_phone_for_call(task: CensusTask, *, by: User) -> CensusTask:
    """Let the user who answers for the task call the member: the phone only (never the ID number), with the campaign
    as the audited reason, and at most CENSUS_CALL_REVEALS_PER_DAY reveals a day. No may_reveal needed: the open
    campaign is the reason. The caller has already fetched the task through CensusTask.objects.visible_to(by)."""
    User.objects.select_for_update().filter(pk=by.pk).first()  # two taps at once count one after the other
    task = CensusTask.objects.select_related("campaign", "member").get(pk=task.pk)
    if task.campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            _("The census “%(campaign)s” is not under way, so it cannot be the reason to show this phone number.")
            % {"campaign": task.campaign}
        )
    limit = settings.CENSUS_CALL_REVEALS_PER_DAY
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if AuditEntry.objects.filter(actor=by, action=AuditAction.REVEAL, at__gte=start).count() >= limit:
        raise ValidationError(
            _(
                "You have viewed %(limit)d phone numbers today, the daily limit. Call the others tomorrow, or ask the "
                "county organization department if you need more today."
            )
            % {"limit": limit}
        )
    audit.record(
        AuditAction.REVEAL,
        actor=by,
        obj=task.member,
        note=_("Phone, to call for the census “%(campaign)s”") % {"campaign": task.campaign},
    )
    return task


def campaign_progress(campaign: CensusCampaign, user: User) -> dict[str, Any]:
    """What the progress page shows the user: the county totals, and the rows of the responsible organizations
    in the user's subtree (every one for county-level users). A secretary sees tasks of their home branch's
    members flowing elsewhere, but not how that flowing organization is doing nor who its secretary is."""
    totals = CensusTask.objects.filter(campaign=campaign).progress()
    totals["percent"] = round(100 * totals["answered"] / totals["tasks"]) if totals["tasks"] else 0
    tasks = within_scope(CensusTask.objects.filter(campaign=campaign), user, "organization")
    return {"totals": totals, "per_org": progress_by_organization(tasks)}


def progress_by_organization(tasks: Any) -> list[dict[str, Any]]:
    """Per responsible organization: tasks, answered, lost, and the share answered, least advanced first."""
    rows = list(
        tasks.order_by()
        .values("organization")
        .annotate(
            tasks=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            lost=Count("id", filter=Q(result=CensusStatus.LOST)),
        )
    )
    names = dict(Organization.objects.filter(pk__in=[r["organization"] for r in rows]).values_list("pk", "name"))
    secretaries: dict[int, list[str]] = {}
    for org_id, name, username in User.objects.secretaries_of(names).values_list(
        "organization_id", "full_name", "username"
    ):
        secretaries.setdefault(org_id, []).append(name or username)
    for row in rows:
        row["name"] = names.get(row["organization"], "")
        row["secretaries"] = "、".join(secretaries.get(row["organization"], []))
        row["percent"] = round(100 * row["answered"] / row["tasks"]) if row["tasks"] else 100
    return sorted(rows, key=lambda r: (r["percent"], -r["tasks"], r["name"]))


# ------------------------------------------------------------------------------------------- reminders


def _task_recipients(tasks: Any) -> dict[int, tuple[User, int]]:
    """{user id: (user, unanswered tasks)} for the secretaries of the responsible organizations and home branches,
    and the township staff over those home branches. Secretaries hear only of their own organization's tasks."""
    per_org = dict(tasks.order_by().values_list("organization").annotate(n=Count("id")))
    per_home = dict(tasks.order_by().values_list("home_branch").annotate(n=Count("id")))
    per_township: dict[int, int] = {}
    for branch_id, township_id in Organization.objects.filter(pk__in=per_home).values_list("pk", "parent_id"):
        per_township[township_id] = per_township.get(township_id, 0) + per_home[branch_id]
    result: dict[int, tuple[User, int]] = {}
    users = User.objects.secretaries_of(set(per_org) | set(per_home)) | User.objects.filter(
        role=Role.TOWNSHIP, is_active=True, organization_id__in=per_township
    )
    for user in users.order_by("pk"):
        org = user.organization_id
        # A home branch answers for all its members (away or not), a flowing organization for those under it.
        count = per_township.get(org, 0) if user.role == Role.TOWNSHIP else per_home.get(org, per_org.get(org, 0))
        result[user.pk] = (user, count)
    return result


def opened_reminders(campaign: CensusCampaign) -> list[Reminder]:
    """ "Campaign opened", once to everyone who answers for some of its tasks, with how many."""
    link = reverse("members:censustask_list") + f"?campaign={campaign.pk}"
    values = {"campaign": campaign.name, "end": campaign.ends_on.isoformat()}
    return [
        Reminder(
            key=f"campaign-opened:{campaign.pk}:{user.pk}",
            recipient=user,
            kind=NotificationKind.CAMPAIGN_OPENED,
            subject=_("Census “%(campaign)s” is open: verify your members by %(end)s") % values,
            body=_("You have %(count)d members to verify.") % {"count": count},
            link=link,
        )
        for user, count in _task_recipients(CensusTask.objects.filter(campaign=campaign)).values()
    ]


def campaign_reminders(today: datetime.date) -> list[Reminder]:
    """Reminders for open campaigns: opened (once), the deadline in 3 days, tasks still unanswered after it."""
    reminders: list[Reminder] = []
    for campaign in CensusCampaign.objects.filter(status=CampaignStatus.OPEN):
        link = reverse("members:censustask_list") + f"?campaign={campaign.pk}"
        values = {"campaign": campaign.name, "end": campaign.ends_on.isoformat()}
        tasks = CensusTask.objects.filter(campaign=campaign)
        reminders.extend(opened_reminders(campaign))  # written when it opened: their keys make these add nothing
        unanswered = tasks.unanswered()
        days_left = (campaign.ends_on - today).days
        if 0 <= days_left <= DEADLINE_NOTICE_DAYS:
            for user, count in _task_recipients(unanswered).values():
                reminders.append(
                    Reminder(
                        key=f"campaign-deadline:{campaign.pk}:{user.pk}",
                        recipient=user,
                        kind=NotificationKind.CAMPAIGN_DEADLINE,
                        subject=_("Census “%(campaign)s” ends on %(end)s: %(count)d members still to verify")
                        % {**values, "count": count},
                        body=_("Answer the remaining tasks before the deadline."),
                        link=link + "&answered=false",
                    )
                )
        if days_left < 0:
            overdue = _task_recipients(unanswered)
            for user, count in overdue.values():
                reminders.append(
                    Reminder(
                        key=f"campaign-overdue:{campaign.pk}:{user.pk}",
                        recipient=user,
                        kind=NotificationKind.CAMPAIGN_OVERDUE,
                        subject=_("Census “%(campaign)s” passed its deadline with %(count)d of your members unverified")
                        % {**values, "count": count},
                        body=_("Answer them now; the county follows the progress of every organization."),
                        link=link + "&answered=false",
                    )
                )
            total = unanswered.count()
            if total:
                for user in county_users():
                    reminders.append(
                        Reminder(
                            key=f"campaign-overdue:{campaign.pk}:{user.pk}",
                            recipient=user,
                            kind=NotificationKind.CAMPAIGN_OVERDUE,
                            subject=_("Census “%(campaign)s” passed its deadline with %(count)d tasks unanswered")
                            % {**values, "count": total},
                            body=_("The progress page shows which organizations are behind."),
                            link=campaign.get_absolute_url(),
                        )
                    )
    return reminders
