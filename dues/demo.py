"""Demo Party dues: a confirmed standard for last year and this year for every member on the roll, payments for most
months of the last twelve (monthly or quarterly; at the destination for some members away with a certificate), some
members 3 and 6+ months behind, and a few reductions and exemptions. Written in batches with bulk_create."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dues import rates
from dues.models import (
    Basis,
    DuesMonth,
    DuesPayment,
    DuesRelief,
    DuesStandard,
    PaidBy,
    ReliefKind,
    ReliefStatus,
    approving_organization,
    month_of,
    period_of,
)
from lanshan_party.models import COUNTY_ROLES, User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, Standing
from organizations.models import Organization

BATCH = 500
BASES = (
    (Basis.EMPLOYED, 0.36),
    (Basis.RETIRED, 0.14),
    (Basis.FARMER, 0.36),
    (Basis.STUDENT, 0.05),
    (Basis.UNEMPLOYED, 0.05),
    (Basis.LOW_INCOME, 0.04),
)


def clear(context: DemoContext) -> None:
    DuesMonth.objects.all().delete()
    DuesPayment.objects.all().delete()
    DuesRelief.objects.all().delete()
    DuesStandard.objects.all().delete()


def _basis(rng: Any) -> str:
    roll, total = rng.random(), 0.0
    for basis, share in BASES:
        total += share
        if roll < total:
            return basis
    return Basis.FARMER


def _income(rng: Any, basis: str) -> Decimal | None:
    if basis == Basis.EMPLOYED:
        return Decimal(rng.choice((2600, 2980, 3000, 3500, 4200, 4800, 5000, 5600, 6800, 8000, 9500, 12000, 15000)))
    if basis == Basis.RETIRED:
        return Decimal(rng.choice((1800, 2400, 3100, 4000, 5000, 5600, 6800)))
    return None


@register_demo("dues", after=("members", "activities"), clear=clear, existing=DuesStandard.objects.count)
def load_dues(context: DemoContext) -> dict[str, int]:
    rng, today = context.rng, context.today
    now = period_of(today.year, today.month)
    window = range(now - 12, now)  # the last twelve months, up to last month
    admin = User.objects.filter(role__in=COUNTY_ROLES, is_active=True).order_by("pk").first()
    orgs = {org.pk: org for org in Organization.objects.in_tree().select_related("parent__parent")}
    members = list(
        Member.objects.filter(standing=Standing.NORMAL)
        .select_related("current_outflow")
        .only("id", "home_branch_id", "flowing_org_id", "current_outflow__certificate_number")
        .order_by("pk")
    )
    counts = {"standards": 0, "payments": 0, "months": 0, "reliefs": 0}
    confirmed_at = datetime.datetime(today.year - 1, 1, 10, 9, tzinfo=timezone.get_current_timezone())
    for start in range(0, len(members), BATCH):
        chunk = members[start : start + BATCH]
        with transaction.atomic():
            counts_chunk = _load_chunk(rng, today, now, window, chunk, orgs, admin, confirmed_at)
        for key, value in counts_chunk.items():
            counts[key] += value
    context.stdout.write(
        f"  dues: {counts['standards']} standards, {counts['payments']} payments for {counts['months']} months, "
        f"{counts['reliefs']} reductions and exemptions"
    )
    return counts


def _load_chunk(rng: Any, today, now, window, chunk, orgs, admin, confirmed_at) -> dict[str, int]:  # type: ignore[no-untyped-def]
    standards, amounts = [], {}
    for member in chunk:
        basis = _basis(rng)
        income = _income(rng, basis)
        amount = rates.monthly_dues(basis, income)
        for year in (today.year - 1, today.year):
            standards.append(
                DuesStandard(
                    member_id=member.pk,
                    home_branch_id=member.home_branch_id,
                    year=year,
                    basis=basis,
                    monthly_income=income,
                    computed_amount=amount,
                    confirmed_at=confirmed_at.replace(year=year),
                    confirmed_by=admin,
                )
            )
        amounts[member.pk] = amount
    DuesStandard.objects.bulk_create(standards, batch_size=BATCH)

    reliefs, exempt = [], {}
    plans = []
    for member in chunk:
        roll = rng.random()
        # Most pay every month; some are 3 to 5 months behind, some stopped paying six or more months ago.
        stop = now if roll < 0.86 else (now - rng.randint(3, 5) if roll < 0.94 else now - rng.randint(6, 9))
        quarterly = rng.random() < 0.2
        certificate = member.current_outflow_id and member.current_outflow.certificate_number
        away = bool(member.flowing_org_id and certificate and rng.random() < 0.7)
        if rng.random() < 0.012 and today.month >= 4:
            first = rng.randint(1, today.month - 3)
            relief = DuesRelief(
                member_id=member.pk,
                home_branch_id=member.home_branch_id,
                organization_id=member.home_branch_id,
                approver=approving_organization(orgs[member.home_branch_id]),
                kind=ReliefKind.EXEMPT,
                year=today.year,
                from_month=first,
                to_month=first + 2,
                reason="家庭困难，因病住院治疗，经支部党员大会讨论同意申请免交。",
                status=ReliefStatus.APPROVED,
                decided_by=admin,
                decided_at=timezone.now(),
                decision_note="同意",
            )
            reliefs.append(relief)
            exempt[member.pk] = relief
        elif rng.random() < 0.006:
            reliefs.append(
                DuesRelief(
                    member_id=member.pk,
                    home_branch_id=member.home_branch_id,
                    organization_id=member.home_branch_id,
                    approver=approving_organization(orgs[member.home_branch_id]),
                    kind=ReliefKind.REDUCE,
                    year=today.year,
                    from_month=today.month,
                    to_month=12,
                    reduced_amount=Decimal("0.20"),
                    reason="下岗后收入减少，申请减交。",
                )
            )
        plans.append((member, stop, quarterly, away))
    DuesRelief.objects.bulk_create(reliefs, batch_size=BATCH)

    payments, month_rows = [], []
    for member, stop, quarterly, away in plans:
        relief = exempt.get(member.pk)
        paid = [period for period in window if period < stop and not (relief and relief.covers(*month_of(period)))]
        groups: list[list[int]] = []
        for period in paid:
            if quarterly and groups and len(groups[-1]) < 3 and groups[-1][-1] == period - 1:
                groups[-1].append(period)
            else:
                groups.append([period])
        for group in groups:
            year, month = month_of(group[-1])
            paid_on = min(datetime.date(year, month, rng.randint(5, 25)), today)
            place = member.flowing_org_id if away else member.home_branch_id
            proxy = rng.random() < 0.08
            payment = DuesPayment(
                member_id=member.pk,
                home_branch_id=member.home_branch_id,
                paid_at_id=place,
                paid_on=paid_on,
                amount=amounts[member.pk] * len(group),
                paid_by=PaidBy.PROXY if proxy else PaidBy.SELF,
                proxy_name="家属代交" if proxy else "",
            )
            payments.append((payment, group))
    DuesPayment.objects.bulk_create([payment for payment, _group in payments], batch_size=BATCH)
    for payment, group in payments:
        for period in group:
            year, month = month_of(period)
            month_rows.append(
                DuesMonth(
                    member_id=payment.member_id,
                    payment_id=payment.pk,
                    year=year,
                    month=month,
                    period=period,
                    amount=amounts[payment.member_id],
                    home_branch_id=payment.home_branch_id,
                    paid_at_id=payment.paid_at_id,
                )
            )
    for member_pk, relief in exempt.items():
        for month in range(relief.from_month, relief.to_month + 1):
            month_rows.append(
                DuesMonth(
                    member_id=member_pk,
                    relief_id=relief.pk,
                    year=relief.year,
                    month=month,
                    period=period_of(relief.year, month),
                    amount=Decimal("0.00"),
                    home_branch_id=relief.home_branch_id,
                )
            )
    DuesMonth.objects.bulk_create(month_rows, batch_size=BATCH)
    return {"standards": len(standards), "payments": len(payments), "months": len(month_rows), "reliefs": len(reliefs)}
