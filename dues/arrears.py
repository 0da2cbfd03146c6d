"""What each member owes: the amount due month by month (the standard, changed by approved reliefs) and how many
consecutive months up to last month are neither paid nor exempted (连续未交党费), as a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dues.models import ARREARS_LEVELS, DuesMonth, DuesRelief, DuesStandard, ReliefKind, period_of
from members.models import Standing

ARREARS_LEVEL_LABELS = {3: _("3 to 5 months unpaid"), 6: _("6 months and more unpaid")}
ARREARS_NEXT_STEPS = {
    3: _("Remind the member, tell them how much is due and how to pay, at home or at the destination."),
    6: _(
        "Six consecutive months without paying dues: find out why; without a proper reason the Party constitution "
        "treats it as leaving the Party (自行脱党) — report to the township committee."
    ),
}


def last_month(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return period_of(today.year, today.month) - 1


def with_months_behind(members: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Members annotated with `dues_behind`: consecutive months up to last month neither paid nor exempted. Months
    count from the month the member was entered (as the six-month rule of organizational life does); a month paid
    anywhere, at home or at the destination, ends the run."""
    last = last_month(today)
    covered = Subquery(
        DuesMonth.objects.filter(member=OuterRef("pk"), period__lte=last)
        .order_by()
        .values("member")
        .annotate(latest=Max("period"))
        .values("latest"),
        output_field=IntegerField(),
    )
    before_entry = ExtractYear("created_at") * 12 + ExtractMonth("created_at") - 2
    return members.annotate(dues_before_entry=before_entry).annotate(
        dues_behind=Value(last) - Greatest(Coalesce(covered, F("dues_before_entry")), F("dues_before_entry"))
    )


def in_arrears(members: QuerySet, level: int | None = None, today: datetime.date | None = None) -> QuerySet:
    """Members in normal standing at an arrears level: 3 (3 to 5 months) or 6 (six and more); any level if None."""
    members = with_months_behind(members.filter(standing=Standing.NORMAL), today)
    if level == ARREARS_LEVELS[0]:
        return members.filter(dues_behind__gte=ARREARS_LEVELS[0], dues_behind__lt=ARREARS_LEVELS[1])
    return members.filter(dues_behind__gte=level or ARREARS_LEVELS[0])


def level_of(months_behind: int) -> int | None:
    for level in reversed(ARREARS_LEVELS):
        if months_behind >= level:
            return level
    return None


def monthly_amounts(member_ids: Iterable[int], year: int) -> dict[int, list[Decimal | None]]:
    """{member id: the amount due for each month 1–12 of the year}: the confirmed standard's amount, changed by
    approved reductions (exemptions: 0). A member without a confirmed standard for the year is left out. Two queries."""
    ids = list(member_ids)
    amounts: dict[int, list[Decimal | None]] = {}
    for standard in DuesStandard.objects.filter(member_id__in=ids, year=year, confirmed_at__isnull=False).only(
        "member_id", "computed_amount", "manual_amount"
    ):
        amounts[standard.member_id] = [standard.amount] * 12
    reliefs = DuesRelief.objects.approved().filter(member_id__in=list(amounts), year=year).order_by("created_at")
    for relief in reliefs.only("member_id", "kind", "from_month", "to_month", "reduced_amount"):
        value = Decimal("0.00") if relief.kind == ReliefKind.EXEMPT else relief.reduced_amount
        for month in range(relief.from_month, relief.to_month + 1):
            amounts[relief.member_id][month - 1] = value
    return amounts


def settled_months(member_ids: Iterable[int], year: int) -> dict[int, dict[int, DuesMonth]]:
    """{member id: {month: the DuesMonth settling it}} for the year, in one query."""
    result: dict[int, dict[int, DuesMonth]] = defaultdict(dict)
    for row in DuesMonth.objects.filter(member_id__in=list(member_ids), year=year).only(
        "member_id", "month", "payment_id", "relief_id", "paid_at_id", "home_branch_id", "amount"
    ):
        result[row.member_id][row.month] = row
    return result


SECTION_ROWS = 50


def six_month_section(user: Any, organization: Any = None, today: datetime.date | None = None) -> dict[str, Any]:
    """The six-month warnings page's second section (连续6个月未交党费): members the user sees who are six or more
    consecutive months behind, most behind first (the first SECTION_ROWS), and how many there are: two queries, however
    many there are."""
    from members.models import Member

    members = Member.objects.visible_to(user)
    if organization is not None:
        members = members.in_subtree(organization.path)
    behind = in_arrears(members, ARREARS_LEVELS[-1], today)
    rows = list(
        behind.select_related("home_branch", "flowing_org").order_by("-dues_behind", "name", "id")[:SECTION_ROWS]
    )
    return {"count": behind.count(), "rows": rows, "shown": SECTION_ROWS}
