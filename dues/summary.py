"""The yearly published summary of dues (党费收缴使用情况): per home branch of the user's subtree its members, the dues
due, collected, the rate and the reliefs; per flowing organization what it collected at the destination; totals.
A fixed number of grouped queries whatever the number of members."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from dues.models import DuesMonth, DuesRelief, DuesStandard, ReliefKind, ReliefStatus
from members.models import Member, Standing
from organizations.models import Organization, OrgKind

ZERO = Decimal("0.00")


def _money(value: Any) -> Decimal:
    """A sum as yuan to the fen (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def months_due(year: int, today: datetime.date) -> int:
    """How many months of the year are due by today: all twelve of a past year, up to this month of this year."""
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


@dataclass
class SummaryRow:
    organization: Any
    members: int = 0
    standards: int = 0
    due: Decimal = ZERO
    collected: Decimal = ZERO
    at_destination: Decimal = ZERO
    reliefs: int = 0
    flowing: bool = False

    @property
    def rate(self) -> float | None:
        return round(float(100 * self.collected / self.due), 1) if self.due else None


def summary_rows(user: Any, year: int, today: datetime.date | None = None) -> tuple[list[SummaryRow], SummaryRow]:
    today = today or timezone.localdate()
    due_months = months_due(year, today)
    organizations = list(
        Organization.objects.visible_to(user)
        .filter(kind__in=(OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING))
        .only("id", "name", "kind", "path")
        .order_by("kind", "path")
    )
    ids = [org.pk for org in organizations]
    rows = {org.pk: SummaryRow(org, flowing=org.kind == OrgKind.FLOWING) for org in organizations}
    roll = Member.objects.filter(standing=Standing.NORMAL)
    for org_id, n in roll.filter(home_branch__in=ids).order_by().values_list("home_branch").annotate(n=Count("id")):
        rows[org_id].members = n
    for org_id, n in roll.filter(flowing_org__in=ids).order_by().values_list("flowing_org").annotate(n=Count("id")):
        rows[org_id].members = n
    # Due: each confirmed standard's amount for the months due, less what approved reliefs take off those months.
    standards = DuesStandard.objects.filter(
        year=year, home_branch__in=ids, confirmed_at__isnull=False, member__standing=Standing.NORMAL
    )
    amount_of: dict[int, tuple[int, Decimal]] = {}
    for member_id, branch_id, computed, manual in standards.values_list(
        "member_id", "home_branch_id", "computed_amount", "manual_amount"
    ):
        amount = manual if manual is not None else computed
        amount_of[member_id] = (branch_id, amount)
        rows[branch_id].standards += 1
        rows[branch_id].due += amount * due_months
    reliefs = DuesRelief.objects.filter(year=year, home_branch__in=ids, status=ReliefStatus.APPROVED)
    for member_id, branch_id, kind, first, last, reduced in reliefs.values_list(
        "member_id", "home_branch_id", "kind", "from_month", "to_month", "reduced_amount"
    ):
        rows[branch_id].reliefs += 1
        if member_id not in amount_of:
            continue
        months = max(0, min(last, due_months) - first + 1)
        cut = amount_of[member_id][1] - (ZERO if kind == ReliefKind.EXEMPT else reduced)
        rows[branch_id].due -= max(cut, ZERO) * months
    paid = DuesMonth.objects.filter(year=year, payment__isnull=False)
    for branch_id, collected, away in (
        paid.filter(home_branch__in=ids)
        .order_by()
        .values_list("home_branch")
        .annotate(total=Sum("amount"), away=Sum("amount", filter=Q(paid_at__kind=OrgKind.FLOWING)))
    ):
        rows[branch_id].collected = _money(collected)
        rows[branch_id].at_destination = _money(away)
    for org_id, collected in (
        paid.filter(paid_at__in=[pk for pk in ids if rows[pk].flowing])
        .order_by()
        .values_list("paid_at")
        .annotate(total=Sum("amount"))
    ):
        rows[org_id].collected = rows[org_id].at_destination = _money(collected)
    total = SummaryRow(None)
    result = list(rows.values())
    for row in result:
        if row.flowing:
            continue  # collected at the destination is already counted at the member's home branch
        total.members += row.members
        total.standards += row.standards
        total.due += row.due
        total.collected += row.collected
        total.at_destination += row.at_destination
        total.reliefs += row.reliefs
    return result, total
