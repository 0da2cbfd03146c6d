"""What a destination partner organization (流入地党组织) records about a member it looks after, audited: attendance
at its own activities and the yearly democratic evaluation (one per member per year; recording a year again corrects
it). Accepting or refusing the report-in are outflow steps (members.actions.report_arrival, refuse_report_in)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import AuditAction, User
from members.models import Member, PartnerAttendance, PartnerEvaluation
from organizations.models import Organization


def _partner_of(member: Member, by: User) -> Organization:
    """The partner organization the user records for: theirs, and it must be the one named on the open outflow."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if by.organization_id is None or member.partner_org_id != by.organization_id:
        raise ValidationError(
            _("%(name)s is no longer looked after by your organization: their outflow ended or moved. Reload the page.")
            % {"name": member.name}
        )
    return Organization.objects.get(pk=member.partner_org_id)


@transaction.atomic
def record_attendance(
    member: Member, *, by: User, date: datetime.date, title: str, attended: bool
) -> PartnerAttendance:
    partner = _partner_of(member, by)
    row = PartnerAttendance(
        member=member, partner_org=partner, date=date, title=title.strip(), attended=attended, recorded_by=by
    )
    row.full_clean()
    row.save()
    audit.record(AuditAction.CREATE, actor=by, obj=row, note=f"{member.name}：{row}")
    return row


@transaction.atomic
def record_evaluation(member: Member, *, by: User, year: int, grade: str, conduct: str = "") -> PartnerEvaluation:
    """The year's democratic evaluation; an evaluation of that year already recorded is corrected in place."""
    partner = _partner_of(member, by)
    existing = PartnerEvaluation.objects.select_for_update().filter(member=member, year=year).first()
    evaluation = existing or PartnerEvaluation(member=member, year=year)
    before = audit.snapshot(evaluation) if existing else None
    evaluation.partner_org, evaluation.grade, evaluation.conduct, evaluation.recorded_by = (
        partner,
        grade,
        conduct.strip(),
        by,
    )
    evaluation.full_clean()
    evaluation.save()
    if before is not None:
        audit.record_update(evaluation, before, actor=by)
    else:
        audit.record(AuditAction.CREATE, actor=by, obj=evaluation, note=str(evaluation))
    return evaluation
