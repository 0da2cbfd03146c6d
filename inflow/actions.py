"""Inflow workflow: registering an inflow member, their report-in to a local branch, reports back to the home
organization, the end of the inflow, and their attendance at our activities. Each function locks the member, checks
the step is allowed from the current status (a stale form or a double submit gets a clear error) and audits."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ATTENDED, NOT_ORGANIZATIONAL_LIFE, Activity, AttendanceStatus
from inflow.models import RECEIVING_KINDS, InflowAttendance, InflowMember, InflowReport, InflowStatus
from lanshan_party import audit
from lanshan_party.models import AuditAction, User
from organizations.models import Organization

S = InflowStatus


def _locked(inflow: InflowMember) -> InflowMember:
    return InflowMember.objects.select_for_update().select_related("branch").get(pk=inflow.pk)


def _check_day(on: datetime.date, inflow: InflowMember, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date is in the future. Record the step once it has happened.")})
    if on < inflow.arrived_on:
        raise ValidationError(
            {field: _("The date is before the member arrived (%(day)s). Check it.") % {"day": inflow.arrived_on}}
        )


def _step(inflow: InflowMember, before: dict, by: User | None, label: str, note: str) -> None:
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=inflow,
        changes=audit.diff(before, audit.snapshot(inflow)),
        note=f"{label}：{note}" if note else label,
    )


@transaction.atomic
def register_inflow(inflow: InflowMember, *, by: User | None, note: str = "") -> InflowMember:
    """Register a new inflow member, waiting to report in to their branch."""
    inflow.status = S.PENDING
    inflow.full_clean()
    inflow.save()
    audit.record_create(inflow, actor=by, note=note)
    return inflow


@transaction.atomic
def report_in(
    inflow: InflowMember, *, branch: Organization, on: datetime.date, by: User | None, note: str = ""
) -> InflowMember:
    """The member reported in (报到) and is placed in a local branch for organizational life."""
    inflow = _locked(inflow)
    if inflow.status != S.PENDING:
        raise ValidationError(
            _("%(name)s is already “%(status)s”: the report-in cannot be recorded again.")
            % {"name": inflow.name, "status": inflow.get_status_display()}
        )
    if branch.kind not in RECEIVING_KINDS or not branch.is_active:
        raise ValidationError({"branch": _("Choose an active village, community or flowing Party branch.")})
    _check_day(on, inflow, "on")
    before = audit.snapshot(inflow)
    inflow.status, inflow.reported_on, inflow.branch = S.REPORTED, on, branch
    inflow.save()
    _step(inflow, before, by, str(_("Reported in")), note)
    return inflow


@transaction.atomic
def record_report_back(
    inflow: InflowMember, *, on: datetime.date, channel: str, content: str, by: User | None
) -> InflowReport:
    """A report back to the member's home organization (date, channel, what was said)."""
    inflow = _locked(inflow)
    if inflow.status == S.LEFT:
        raise ValidationError(
            _("%(name)s has left Lanshan; no more reports are sent for them.") % {"name": inflow.name}
        )
    _check_day(on, inflow, "reported_on")
    content = content.strip()
    if InflowReport.objects.filter(inflow_member=inflow, reported_on=on, channel=channel, content=content).exists():
        # The same form posted twice (a double tap, a resubmitted page): one report.
        raise ValidationError(_("This report is already recorded; it was not recorded twice."))
    report = InflowReport(inflow_member=inflow, reported_on=on, channel=channel, content=content, by=by)
    report.full_clean()
    report.save()
    audit.record_create(report, actor=by, note=inflow.home_org_name)
    return report


@transaction.atomic
def end_inflow(inflow: InflowMember, *, on: datetime.date, reason: str, by: User | None) -> InflowMember:
    """The member left Lanshan (已离开): no longer on attendance lists nor warned."""
    inflow = _locked(inflow)
    if inflow.status == S.LEFT:
        raise ValidationError(
            _("%(name)s has already left, on %(day)s.") % {"name": inflow.name, "day": inflow.left_on}
        )
    _check_day(on, inflow, "on")
    before = audit.snapshot(inflow)
    inflow.status, inflow.left_on, inflow.left_reason = S.LEFT, on, reason.strip()
    inflow.full_clean()
    inflow.save()
    _step(inflow, before, by, str(_("Left")), reason)
    return inflow


def refresh_last_life(inflow_ids: set[int] | list[int]) -> None:
    """Recompute the inflow members' last organizational life from their attendance (present or online)."""
    ids = sorted(set(inflow_ids))
    if not ids:
        return
    latest = dict(
        InflowAttendance.objects.filter(inflow_member_id__in=ids, status__in=ATTENDED)
        .exclude(activity__type__in=NOT_ORGANIZATIONAL_LIFE)
        .order_by()
        .values_list("inflow_member_id")
        .annotate(latest=Max("activity__date"))
    )
    InflowMember.objects.bulk_update(
        [InflowMember(pk=pk, last_life_on=latest.get(pk)) for pk in ids], ["last_life_on"], batch_size=500
    )


def resync_last_life() -> int:
    """Bring every inflow member's last organizational life in step with their attendance, whatever changed it since:
    an activity whose date or type was edited, or one deleted with its attendance, changes it without passing here.
    Two queries and an update of the members whose value moved; returns how many moved."""
    latest = dict(
        InflowAttendance.objects.filter(status__in=ATTENDED)
        .exclude(activity__type__in=NOT_ORGANIZATIONAL_LIFE)
        .order_by()
        .values_list("inflow_member_id")
        .annotate(latest=Max("activity__date"))
    )
    moved = [
        InflowMember(pk=pk, last_life_on=latest.get(pk))
        for pk, stored in InflowMember.objects.values_list("pk", "last_life_on")
        if latest.get(pk) != stored
    ]
    InflowMember.objects.bulk_update(moved, ["last_life_on"], batch_size=500)
    return len(moved)


@transaction.atomic
def save_inflow_attendance(activity: Activity, *, statuses: Mapping[int, str], by: User | None) -> dict[str, int]:
    """Record inflow members' attendance at an activity ({inflow member id: status}, "" to remove a record). The caller
    has checked each member is on the activity's roster. Returns the counts per status after the save."""
    Activity.objects.select_for_update().filter(pk=activity.pk).first()  # one save of this roster at a time
    existing = {row.inflow_member_id: row for row in InflowAttendance.objects.filter(activity=activity)}
    added, updated, removed, changed = [], [], [], set()
    for pk, status in statuses.items():
        row = existing.get(pk)
        if not status:
            if row is not None:
                removed.append(row.pk)
                changed.add(pk)
        elif status not in AttendanceStatus.values:
            raise ValidationError(_("“%(value)s” is not an attendance status.") % {"value": status})
        elif row is None:
            added.append(InflowAttendance(activity=activity, inflow_member_id=pk, status=status))
            changed.add(pk)
        elif row.status != status:
            row.status = status
            updated.append(row)
            changed.add(pk)
    InflowAttendance.objects.filter(pk__in=removed).delete()
    InflowAttendance.objects.bulk_create(added)
    InflowAttendance.objects.bulk_update(updated, ["status"])
    refresh_last_life(changed)
    counts = {status: 0 for status in AttendanceStatus.values}
    for (status,) in InflowAttendance.objects.filter(activity=activity).values_list("status"):
        counts[status] += 1
    if changed:
        note = _("Inflow members' attendance:") + " " + " ".join(f"{s}={n}" for s, n in counts.items())
        audit.record(AuditAction.UPDATE, actor=by, obj=activity, note=note)
    return counts
