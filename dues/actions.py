"""The dues workflows: setting and confirming a standard, recording payments (one by one, a branch's month at once, or
from a ledger), and requesting and deciding reductions and exemptions. Each runs in one transaction with its audit."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dues.arrears import monthly_amounts
from dues.models import (
    BACK_PAY_MONTHS,
    DuesMonth,
    DuesPayment,
    DuesRelief,
    DuesStandard,
    PaidBy,
    ReliefKind,
    ReliefStatus,
    approving_organization,
    month_label,
    period_of,
)
from lanshan_party import audit
from lanshan_party.models import COUNTY_ROLES, AuditAction, Role, User
from members.models import Member, Standing
from organizations.models import Organization, OrgKind

Month = tuple[int, int]


def holds_certificate(member: Member) -> bool:
    """The member is away with an activity certificate (流动党员活动证) on the open outflow."""
    outflow = member.current_outflow
    return bool(outflow is not None and outflow.certificate_number.strip())


def payment_places(member: Member) -> list[Organization]:
    """Where the member may pay: the home branch, and while away with an activity certificate the flowing
    organization at the destination."""
    places = [member.home_branch]
    if member.flowing_org is not None and holds_certificate(member):
        places.append(member.flowing_org)
    return places


# ---------------------------------------------------------------- standards


@transaction.atomic
def save_standard(standard: DuesStandard, *, by: User) -> DuesStandard:
    """Save a new or changed standard; a confirmed one is locked for its year."""
    before = None
    if standard.pk:
        stored = DuesStandard.objects.select_for_update().get(pk=standard.pk)
        if stored.is_confirmed:
            raise ValidationError(
                _(
                    "The dues standard for %(year)d is confirmed and locked for the year. A change now needs a "
                    "reduction or exemption approved one level up."
                )
                % {"year": stored.year}
            )
        before = audit.snapshot(stored)
    standard.home_branch_id = standard.member.home_branch_id
    standard.full_clean()
    standard.save()
    if before is None:
        audit.record_create(standard, actor=by)
    else:
        audit.record_update(standard, before, actor=by)
    return standard


@transaction.atomic
def confirm_standard(standard: DuesStandard, *, by: User) -> bool:
    """Confirm (lock) the standard for the year. False when it already was (a second click changes nothing)."""
    claimed = DuesStandard.objects.filter(pk=standard.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), confirmed_by=by
    )
    if claimed:
        standard.refresh_from_db()
        audit.record(
            AuditAction.WORKFLOW,
            actor=by,
            obj=standard,
            changes={"confirmed_at": [None, standard.confirmed_at.isoformat() if standard.confirmed_at else None]},
            note=_("Dues standard confirmed: %(amount)s yuan a month") % {"amount": standard.amount},
        )
    return bool(claimed)


# ---------------------------------------------------------------- payments


def check_months(member: Member, months: Sequence[Month], paid_on: datetime.date) -> dict[Month, Decimal]:
    """{month: amount due} for the months a payment on paid_on covers, or a ValidationError (at "months") saying
    which months cannot be paid and why: more than 6 months back, a later year, no confirmed standard, or settled."""
    if not months:
        raise ValidationError({"months": _("Choose at least one month this payment is for.")})
    if len(set(months)) != len(months):
        raise ValidationError({"months": _("A month is given twice. Give each month once.")})
    errors = []
    paid_period = period_of(paid_on.year, paid_on.month)
    for year, month in sorted(months):
        label = month_label(year, month)
        if not 1 <= month <= 12:
            errors.append(_("%(month)s is not a month. Write months as 2026-03.") % {"month": label})
        elif paid_period - period_of(year, month) > BACK_PAY_MONTHS:
            errors.append(
                _(
                    "%(month)s is more than %(limit)d months before the payment date %(date)s: back pay covers at "
                    "most %(limit)d months. Record it with the township's written explanation, not as dues."
                )
                % {"month": label, "limit": BACK_PAY_MONTHS, "date": paid_on.isoformat()}
            )
        elif year > paid_on.year:
            errors.append(
                _("%(month)s is in a later year than the payment: dues are paid ahead within the year only.")
                % {"month": label}
            )
    if errors:
        raise ValidationError({"months": errors})
    settled = DuesMonth.objects.filter(member=member, period__in=[period_of(y, m) for y, m in months]).select_related(
        "paid_at", "payment"
    )
    for row in settled:
        if row.relief_id:
            errors.append(_("%(month)s is exempted: nothing is due.") % {"month": month_label(row.year, row.month)})
        else:
            errors.append(
                _("%(month)s is already paid, on %(date)s at %(place)s. A month cannot be paid twice: leave it out.")
                % {
                    "month": month_label(row.year, row.month),
                    "date": row.payment.paid_on.isoformat() if row.payment else "",
                    "place": row.paid_at.name if row.paid_at else "",
                }
            )
    due: dict[Month, Decimal] = {}
    for year in sorted({year for year, _month in months}):
        amounts = monthly_amounts([member.pk], year).get(member.pk)
        if amounts is None:
            errors.append(
                _("%(name)s has no confirmed dues standard for %(year)d. Set and confirm the standard first.")
                % {"name": member.name, "year": year}
            )
            continue
        for y, m in months:
            if y == year:
                due[(y, m)] = amounts[m - 1] or Decimal("0.00")
    if errors:
        raise ValidationError({"months": errors})
    return due


def check_payment(
    member: Member,
    *,
    months: Sequence[Month],
    amount: Decimal | None,
    paid_on: datetime.date,
    paid_at: Organization | None,
    paid_by: str = PaidBy.SELF,
    proxy_name: str = "",
) -> dict[Month, Decimal]:
    errors: dict[str, list[str]] = {}
    if member.standing != Standing.NORMAL:
        raise ValidationError(_("%(name)s is not in normal standing: no dues are recorded.") % {"name": member.name})
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date is in the future. Record a payment once it is made.")]
    if paid_at is None or paid_at.pk not in {place.pk for place in payment_places(member)}:
        errors["paid_at"] = [
            _(
                "Dues are paid at the home branch, or at the flowing organization at the destination by a member "
                "holding an activity certificate. Choose one of those."
            )
        ]
    if paid_by == PaidBy.PROXY and not proxy_name.strip():
        errors["proxy_name"] = [_("Give the name of the person who paid on the member's behalf.")]
    due: dict[Month, Decimal] = {}
    try:
        due = check_months(member, months, paid_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if due and amount is not None and amount < sum(due.values()):
        errors["amount"] = [
            _(
                "The amount is less than the dues for these months, %(due)s yuan. Record the full amount; a lower "
                "one needs a reduction approved one level up."
            )
            % {"due": sum(due.values())}
        ]
    if amount is None or amount <= 0:
        errors.setdefault("amount", [_("Give the amount paid in yuan, e.g. 15.50.")])
    if errors:
        raise ValidationError(errors)
    return due


@transaction.atomic
def record_payment(
    member: Member,
    *,
    months: Sequence[Month],
    amount: Decimal,
    paid_on: datetime.date,
    paid_at: Organization,
    paid_by: str = PaidBy.SELF,
    proxy_name: str = "",
    note: str = "",
    by: User,
    audited: list | None = None,
) -> DuesPayment:
    """Record one payment for some months, after check_payment. With `audited`, the audit entry is appended there
    (a ledger import writes them in batches) instead of written."""
    due = check_payment(
        member, months=months, amount=amount, paid_on=paid_on, paid_at=paid_at, paid_by=paid_by, proxy_name=proxy_name
    )
    payment = DuesPayment(
        member=member,
        home_branch_id=member.home_branch_id,
        paid_at=paid_at,
        paid_on=paid_on,
        amount=amount,
        paid_by=paid_by,
        proxy_name=proxy_name.strip() if paid_by == PaidBy.PROXY else "",
        note=note,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            payment.save()
            DuesMonth.objects.bulk_create(
                [
                    DuesMonth(
                        member=member,
                        payment=payment,
                        year=year,
                        month=month,
                        period=period_of(year, month),
                        amount=value,
                        home_branch_id=member.home_branch_id,
                        paid_at=paid_at,
                    )
                    for (year, month), value in sorted(due.items())
                ]
            )
    except IntegrityError as error:  # the same month saved by another request meanwhile
        raise ValidationError({"months": DuesMonth._meta.constraints[0].violation_error_message}) from error
    changes = audit.diff({}, audit.snapshot(payment))
    changes["months"] = [None, "、".join(month_label(y, m) for y, m in sorted(due))]
    if audited is not None:
        audited.append((AuditAction.CREATE, payment, changes))
    else:
        audit.record(AuditAction.CREATE, actor=by, obj=payment, changes=changes)
    return payment


@transaction.atomic
def record_month(
    organization: Organization,
    year: int,
    month: int,
    members: Iterable[Member],
    *,
    paid_on: datetime.date,
    by: User,
) -> int:
    """The one-month view's save: each ticked member paid that month's dues at `organization` on paid_on. All or
    nothing; a member whose month is already settled is left as it is, so posting the same ticks twice records
    nothing twice. Returns the payments recorded."""
    members = list(members)
    settled = set(
        DuesMonth.objects.filter(member__in=members, year=year, month=month).values_list("member_id", flat=True)
    )
    amounts = monthly_amounts([m.pk for m in members], year)
    errors = []
    recorded = 0
    for member in members:
        if member.pk in settled:
            continue
        due = (amounts.get(member.pk) or [None] * 12)[month - 1]
        try:
            record_payment(
                member,
                months=[(year, month)],
                amount=due if due else Decimal("0"),
                paid_on=paid_on,
                paid_at=organization,
                by=by,
            )
            recorded += 1
        except ValidationError as error:
            reasons = "；".join(message for messages in error.message_dict.values() for message in messages)
            errors.append(f"{member.name}：{reasons}")
    if errors:
        raise ValidationError(errors)
    return recorded


# ---------------------------------------------------------------- reductions and exemptions


@transaction.atomic
def request_relief(relief: DuesRelief, *, by: User) -> DuesRelief:
    """A branch asks for a reduction or exemption for some months; it goes one level up for approval."""
    member = relief.member
    relief.home_branch_id = member.home_branch_id
    if not relief.organization_id:  # the asking user's own organization when it is one of the member's, else the one
        # answering for the member now
        ours = {member.home_branch_id: member.home_branch, member.flowing_org_id: member.flowing_org}
        relief.organization = ours.get(by.organization_id) or member.flowing_org or member.home_branch
    approver = approving_organization(relief.organization)
    if approver is None:
        raise ValidationError(_("No organization one level up was found to approve this. Ask the county."))
    relief.approver = approver
    relief.requested_by = by
    relief.full_clean(exclude=["home_branch", "organization", "approver", "requested_by"])
    overlapping = DuesRelief.objects.filter(
        member=member,
        year=relief.year,
        status__in=(ReliefStatus.REQUESTED, ReliefStatus.APPROVED),
        from_month__lte=relief.to_month,
        to_month__gte=relief.from_month,
    )
    if overlapping.exists():
        raise ValidationError(
            {"from_month": _("A reduction or exemption for some of these months is already requested or approved.")}
        )
    relief.save()
    audit.record_create(relief, actor=by)
    return relief


def may_decide(user: User, relief: DuesRelief) -> bool:
    """One level up decides: township staff bound to the approving township; county roles for the county."""
    if relief.approver.kind == OrgKind.COUNTY:
        return user.role in COUNTY_ROLES
    return user.role == Role.TOWNSHIP and user.organization_id == relief.approver_id


@transaction.atomic
def decide_relief(relief: DuesRelief, *, approve: bool, note: str = "", by: User) -> DuesRelief:
    relief = DuesRelief.objects.select_for_update().select_related("approver", "member").get(pk=relief.pk)
    if not may_decide(by, relief):
        raise ValidationError(
            _("This request is decided by %(org)s, one level above the branch asking.") % {"org": relief.approver.name}
        )
    if relief.status != ReliefStatus.REQUESTED:
        raise ValidationError(
            _("This request was already decided: %(status)s.") % {"status": relief.get_status_display()}
        )
    relief.status = ReliefStatus.APPROVED if approve else ReliefStatus.REFUSED
    relief.decided_by, relief.decided_at, relief.decision_note = by, timezone.now(), note[:200]
    relief.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and relief.kind == ReliefKind.EXEMPT:
        settled = set(DuesMonth.objects.filter(member=relief.member, year=relief.year).values_list("month", flat=True))
        DuesMonth.objects.bulk_create(
            [
                DuesMonth(
                    member=relief.member,
                    relief=relief,
                    year=relief.year,
                    month=month,
                    period=period_of(relief.year, month),
                    amount=Decimal("0.00"),
                    home_branch_id=relief.home_branch_id,
                )
                for month in range(relief.from_month, relief.to_month + 1)
                if month not in settled
            ]
        )
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=relief,
        changes={"status": [ReliefStatus.REQUESTED.value, relief.status]},
        note=note,
    )
    return relief
