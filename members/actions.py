"""Outflow workflow: every change of a member's time away goes through these functions.

Each one locks the rows it changes, checks the transition is allowed from the current status
(so a stale form or a double submit gets a clear error instead of a second transition),
records an OutflowEvent for the timeline and an audit entry.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import AuditAction, NotificationKind, User
from members.models import (
    OPEN_STATUSES,
    LostCause,
    Member,
    Outflow,
    OutflowEvent,
    OutflowEventKind,
    OutflowStatus,
    Standing,
)
from organizations.models import Agreement, Organization

S = OutflowStatus

# event kind → (statuses it may start from, status it leads to; None = back to the status before lost)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    OutflowEventKind.REPORT: ((S.REGISTERED,), S.REPORTED),
    OutflowEventKind.RETURN: ((S.REGISTERED, S.REPORTED), S.RETURNED),
    OutflowEventKind.TRANSFER: ((S.REGISTERED, S.REPORTED), S.TRANSFERRED),
    OutflowEventKind.LOSE: ((S.REGISTERED, S.REPORTED), S.LOST),
    OutflowEventKind.FIND: ((S.LOST,), None),
    OutflowEventKind.CLOSE: (tuple(OPEN_STATUSES), S.CLOSED),
}


def allowed_events(outflow: Outflow) -> list[str]:
    """The transitions the outflow's current status allows, in display order."""
    return [kind for kind, (sources, _target) in TRANSITIONS.items() if outflow.status in sources]


def match_flowing_org(province: str, city: str, district: str = "") -> Organization | None:
    """The active flowing organization at the destination: same district if there is one, else same city."""
    candidates = list(Organization.objects.flowing().active().filter(province=province, city=city).order_by("id"))
    for org in candidates:
        if district and org.district == district:
            return org
    return candidates[0] if candidates else None


def report_due(departure_date: datetime.date) -> datetime.date:
    """The last day to report in (报到): settings.REPORT_IN_DUE_DAYS after the departure."""
    return departure_date + datetime.timedelta(days=settings.REPORT_IN_DUE_DAYS)


def _link_member(outflow: Outflow) -> None:
    """Keep the member's pointers to their open outflow, its flowing organization and its destination partner
    organization in step with it."""
    if outflow.is_open:
        Member.objects.filter(pk=outflow.member_id).update(
            current_outflow=outflow,
            flowing_org=outflow.flowing_org_id,
            partner_org=outflow.partner_org_id,
            updated_at=timezone.now(),
        )
    else:
        Member.objects.filter(pk=outflow.member_id, current_outflow=outflow).update(
            current_outflow=None, flowing_org=None, partner_org=None, updated_at=timezone.now()
        )


def _record_event(
    outflow: Outflow,
    kind: str,
    *,
    from_status: str,
    on: datetime.date,
    by: User | None,
    note: str,
    lost_cause: str = "",
) -> OutflowEvent:
    event = OutflowEvent.objects.create(
        outflow=outflow,
        kind=kind,
        from_status=from_status,
        to_status=outflow.status,
        on=on,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
        lost_cause=lost_cause,
    )
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=outflow,
        changes={"status": [from_status, outflow.status]} if from_status != outflow.status else {},
        note=f"{OutflowEventKind(kind).label}：{note}" if note else str(OutflowEventKind(kind).label),
    )
    return event


@transaction.atomic
def register_outflow(member: Member, *, by: User | None, note: str = "", **fields: Any) -> Outflow:
    """Register a departure. The member must have no open outflow."""
    original, member = member, Member.objects.select_for_update().get(pk=member.pk)
    if member.standing != Standing.NORMAL:
        raise ValidationError(
            _("%(name)s is no longer on the roll (%(standing)s): no departure can be registered.")
            % {"name": member.name, "standing": member.get_standing_display()}
        )
    if member.current_outflow_id is not None:
        raise ValidationError(
            _("%(name)s already has an open outflow. Record a return or transfer before registering a new departure.")
            % {"name": member.name}
        )
    outflow = Outflow(member=member, status=S.REGISTERED, **fields)
    if outflow.flowing_org_id is None:
        outflow.flowing_org = match_flowing_org(outflow.province, outflow.city, outflow.district)
    if outflow.departure_date and outflow.report_due_on is None:
        outflow.report_due_on = report_due(outflow.departure_date)
    outflow.full_clean()
    try:
        with transaction.atomic():
            outflow.save()
    except IntegrityError:
        raise ValidationError(_("%(name)s already has an open outflow.") % {"name": member.name}) from None
    _link_member(outflow)
    original.current_outflow, original.flowing_org = outflow, outflow.flowing_org
    original.partner_org = outflow.partner_org
    _record_event(outflow, OutflowEventKind.REGISTER, from_status="", on=outflow.departure_date, by=by, note=note)
    return outflow


def _transition(
    outflow: Outflow, kind: str, *, on: datetime.date | None, by: User | None, note: str, **changes: Any
) -> Outflow:
    outflow = Outflow.objects.select_for_update().select_related("member").get(pk=outflow.pk)
    sources, target = TRANSITIONS[kind]
    if outflow.status not in sources:
        raise ValidationError(
            _(
                "This outflow is now “%(status)s”, so “%(event)s” is not possible. Reload the page to see its current state."
            )
            % {"status": outflow.get_status_display(), "event": OutflowEventKind(kind).label}
        )
    on = on or timezone.localdate()
    if on < outflow.departure_date:
        raise ValidationError(_("The date is before the departure date (%(date)s).") % {"date": outflow.departure_date})
    if on > timezone.localdate():
        raise ValidationError(_("The date is in the future. Record what has already happened."))
    from_status = outflow.status
    if target == S.LOST:
        outflow.status_before_lost = from_status
    outflow.status = target or outflow.status_before_lost or S.REGISTERED
    for field, value in changes.items():
        setattr(outflow, field, value)
    if outflow.status not in OPEN_STATUSES:
        outflow.ended_on = on
    outflow.save()
    _link_member(outflow)
    _record_event(
        outflow, kind, from_status=from_status, on=on, by=by, note=note, lost_cause=changes.get("lost_cause", "")
    )
    return outflow


@transaction.atomic
def report_arrival(
    outflow: Outflow,
    *,
    by: User | None,
    on: datetime.date | None = None,
    note: str = "",
    flowing_org: Organization | None = None,
    receiving_org_name: str = "",
) -> Outflow:
    """The member reported (报到) to the flowing or destination organization: recorded by the flowing secretary, or
    accepted by the destination partner, with the organization the member joined for organizational life (by
    default the partner organization, when there is one). A refusal recorded before is cleared; its event stays."""
    changes: dict[str, Any] = {
        "reported_on": on or timezone.localdate(),
        "report_recorded_by": by if by is not None and by.is_authenticated else None,
        "refused_on": None,
        "refusal_reason": "",
        "refused_by": None,
    }
    receiving = receiving_org_name.strip()
    if not receiving and outflow.partner_org_id:
        receiving = Organization.objects.get(pk=outflow.partner_org_id).name
    changes["receiving_org_name"] = receiving[:120]
    if flowing_org is not None:
        changes["flowing_org"] = flowing_org
    return _transition(outflow, OutflowEventKind.REPORT, on=on, by=by, note=note, **changes)


@transaction.atomic
def refuse_report_in(outflow: Outflow, *, by: User | None, reason: str, on: datetime.date | None = None) -> Outflow:
    """The destination partner refuses the member's report-in, saying why: the outflow stays 待报到 with the refusal
    shown, and the county staff and the flowing organization's secretaries are reminded through the outbox."""
    from lanshan_party.notifications import Reminder, county_users, secretaries_of, write

    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report-in is refused, so the member's organization can act on it."))
    outflow = Outflow.objects.select_for_update(of=("self",)).select_related("member", "partner_org").get(pk=outflow.pk)
    if outflow.status != S.REGISTERED:
        raise ValidationError(
            _("This outflow is now “%(status)s”: only a report-in still awaited can be refused. Reload the page.")
            % {"status": outflow.get_status_display()}
        )
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < outflow.departure_date:
        raise ValidationError(
            _("Give a date between the departure (%(date)s) and today.") % {"date": outflow.departure_date}
        )
    outflow.refused_on, outflow.refusal_reason = on, reason
    outflow.refused_by = by if by is not None and by.is_authenticated else None
    outflow.save(update_fields=["refused_on", "refusal_reason", "refused_by"])
    event = _record_event(outflow, OutflowEventKind.REFUSE, from_status=outflow.status, on=on, by=by, note=reason)
    recipients = county_users()
    if outflow.flowing_org_id:
        recipients += secretaries_of([outflow.flowing_org_id]).get(outflow.flowing_org_id, [])
    partner = outflow.partner_display or _("the destination")
    write(
        Reminder(
            key=f"report-refused:{event.pk}:{user.pk}",
            recipient=user,
            kind=NotificationKind.REPORT_REFUSED,
            subject=_("%(partner)s refused the report-in of %(name)s")
            % {"partner": partner, "name": outflow.member.name},
            body=_("Reason: %(reason)s. Contact the member and the destination, then record the report-in again.")
            % {"reason": reason},
            link=outflow.member.get_absolute_url(),
        )
        for user in recipients
    )
    return outflow


def handover_candidate(outflow: Outflow) -> Organization | None:
    """The flowing organization whose area the outflow's destination is in, when it is another than the one the
    member is under now: the whereabouts page proposes handing the member over to it (never automatically)."""
    if not outflow.is_open or not outflow.province or not outflow.city:
        return None
    current = outflow.flowing_org
    if current is not None and (current.province, current.city, current.district) == (
        outflow.province,
        outflow.city,
        outflow.district,
    ):
        return None  # its own district: no other organization matches better (and no query)
    match = match_flowing_org(outflow.province, outflow.city, outflow.district)
    if match is None or match.pk == outflow.flowing_org_id:
        return None
    if (
        current is not None
        and (current.province, current.city) == (outflow.province, outflow.city)
        and (not current.district or current.district == outflow.district or match.district != outflow.district)
    ):
        return None  # the destination is still in the area of the organization the member is under
    return match


@transaction.atomic
def hand_over(outflow: Outflow, *, to: Organization, by: User | None, note: str = "") -> Outflow:
    """Move an open outflow's member under another flowing organization (the whereabouts moved into its area). A
    destination partner without an agreement in force covering the new organization no longer sees the member."""
    outflow = Outflow.objects.select_for_update(of=("self",)).select_related("flowing_org").get(pk=outflow.pk)
    if not outflow.is_open:
        raise ValidationError(_("This outflow has ended; the member can no longer be handed over."))
    if to.kind != "flowing" or not to.is_active:
        raise ValidationError(_("Choose an active flowing organization to hand the member over to."))
    if outflow.flowing_org_id == to.pk:
        raise ValidationError(_("The member is already under %(org)s.") % {"org": to})
    before = outflow.flowing_org
    outflow.flowing_org = to
    if (
        outflow.partner_org_id
        and not Agreement.objects.in_force().filter(partner=outflow.partner_org_id, covered_organizations=to).exists()
    ):
        outflow.partner_org = None  # the old destination partner has no agreement for the new area: it lets go
    outflow.save(update_fields=["flowing_org", "partner_org"])
    _link_member(outflow)
    text = _("From %(old)s to %(new)s") % {"old": before or "—", "new": to}
    if note.strip():
        text = f"{text}：{note.strip()}"
    OutflowEvent.objects.create(
        outflow=outflow,
        kind=OutflowEventKind.HAND_OVER,
        from_status=outflow.status,
        to_status=outflow.status,
        on=timezone.localdate(),
        by=by if by is not None and by.is_authenticated else None,
        note=text,
    )
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=outflow,
        changes={"flowing_org": [str(before or ""), str(to)]},
        note=f"{OutflowEventKind.HAND_OVER.label}：{text}",
    )
    return outflow


@transaction.atomic
def return_home(outflow: Outflow, *, by: User | None, on: datetime.date | None = None, note: str = "") -> Outflow:
    """The member came back to live at home: the outflow ends."""
    return _transition(outflow, OutflowEventKind.RETURN, on=on, by=by, note=note)


@transaction.atomic
def transfer_relationship(
    outflow: Outflow, *, by: User | None, on: datetime.date | None = None, note: str = ""
) -> Outflow:
    """The member's organizational relationship was transferred to the destination (应转尽转)."""
    return _transition(outflow, OutflowEventKind.TRANSFER, on=on, by=by, note=note, relationship_transferred=True)


@transaction.atomic
def mark_lost(
    outflow: Outflow, *, cause: str, by: User | None, on: datetime.date | None = None, note: str = ""
) -> Outflow:
    """Nobody can reach the member: enter the lost register with one of the official causes."""
    if cause not in LostCause.values:
        raise ValidationError(_("Choose one of the official causes of lost contact."))
    return _transition(
        outflow, OutflowEventKind.LOSE, on=on, by=by, note=note, lost_cause=cause, lost_on=on or timezone.localdate()
    )


@transaction.atomic
def mark_found(outflow: Outflow, *, by: User | None, on: datetime.date | None = None, note: str = "") -> Outflow:
    """A lost member was found again: back to the status before contact was lost."""
    return _transition(
        outflow, OutflowEventKind.FIND, on=on, by=by, note=note, lost_cause="", lost_on=None, status_before_lost=""
    )


@transaction.atomic
def close_outflow(outflow: Outflow, *, by: User | None, on: datetime.date | None = None, note: str = "") -> Outflow:
    """End the outflow for another reason (death, registered by mistake …); the note says why."""
    if not note.strip():
        raise ValidationError(_("Say why the outflow is closed."))
    return _transition(outflow, OutflowEventKind.CLOSE, on=on, by=by, note=note)


@transaction.atomic
def update_whereabouts(outflow: Outflow, *, by: User | None, note: str = "", **fields: Any) -> Outflow:
    """Correct where an open outflow's member is (destination, employer, contacts), keeping the status."""
    outflow = Outflow.objects.select_for_update().get(pk=outflow.pk)
    if not outflow.is_open:
        raise ValidationError(_("This outflow has ended; its whereabouts can no longer be changed."))
    before = audit.snapshot(outflow)
    for field, value in fields.items():
        setattr(outflow, field, value)
    if outflow.flowing_org_id is None:
        outflow.flowing_org = match_flowing_org(outflow.province, outflow.city, outflow.district)
    if outflow.status == S.REGISTERED and "departure_date" in fields:
        outflow.report_due_on = report_due(outflow.departure_date)
    outflow.full_clean()
    outflow.save()
    _link_member(outflow)
    OutflowEvent.objects.create(
        outflow=outflow,
        kind=OutflowEventKind.UPDATE,
        from_status=outflow.status,
        to_status=outflow.status,
        on=timezone.localdate(),
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    audit.record_update(outflow, before, actor=by, note=note)
    return outflow


# The workflow step behind each event kind, for pages that offer them by name.
STEPS = {
    OutflowEventKind.REPORT: report_arrival,
    OutflowEventKind.RETURN: return_home,
    OutflowEventKind.TRANSFER: transfer_relationship,
    OutflowEventKind.LOSE: mark_lost,
    OutflowEventKind.FIND: mark_found,
    OutflowEventKind.CLOSE: close_outflow,
}
