"""A branch's dues for a year as a grid (members × 12 months), and the one-month view a secretary uses on a phone:
tick the members who paid this month and save, in one POST that records all of them or none, and records nothing
twice when the same ticks are posted again."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from dues import actions
from dues.arrears import monthly_amounts, settled_months
from dues.models import period_of
from dues.views import DuesAccessMixin
from members.models import Member, Standing
from organizations.models import Organization, OrgKind

GRID_KINDS = (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING)


def grid_organizations(user: Any) -> Any:
    return Organization.objects.visible_to(user).filter(kind__in=GRID_KINDS).only("id", "name", "kind").order_by("path")


def roll_of(organization: Organization, user: Any) -> list[Member]:
    """The members whose dues the organization collects: its home members, or for a flowing organization the members
    away under it; in normal standing, as the user sees them."""
    members = Member.objects.visible_to(user).filter(standing=Standing.NORMAL)
    if organization.kind == OrgKind.FLOWING:
        members = members.filter(flowing_org=organization)
    else:
        members = members.filter(home_branch=organization)
    return list(
        members.select_related("current_outflow", "home_branch", "flowing_org")
        .only(
            "id",
            "name",
            "standing",
            "home_branch__id",
            "home_branch__name",
            "home_branch__kind",
            "flowing_org__id",
            "flowing_org__name",
            "flowing_org__kind",
            "current_outflow__id",
            "current_outflow__certificate_number",
        )
        .order_by("name", "id")
    )


class Cell:
    """One member's month: paid (at home or at the destination), exempted, due and unpaid, not yet due, or no
    standard."""

    def __init__(self, month: int, amount: Any, row: Any, organization: Organization, due: bool) -> None:
        self.month, self.amount, self.row = month, amount, row
        if row is not None and row.relief_id:
            self.state = "exempt"
        elif row is not None:
            self.state = "away" if row.paid_at_id != row.home_branch_id else "paid"
        elif amount is None:
            self.state = "none"
        else:
            self.state = "unpaid" if due else "later"


def grid_rows(organization: Organization, user: Any, year: int, today: datetime.date) -> list[tuple[Member, list]]:
    members = roll_of(organization, user)
    ids = [m.pk for m in members]
    amounts = monthly_amounts(ids, year)
    settled = settled_months(ids, year)
    now = period_of(today.year, today.month)
    rows = []
    for member in members:
        member_amounts = amounts.get(member.pk)
        cells = [
            Cell(
                month,
                member_amounts[month - 1] if member_amounts else None,
                settled.get(member.pk, {}).get(month),
                organization,
                period_of(year, month) <= now,
            )
            for month in range(1, 13)
        ]
        rows.append((member, cells))
    return rows


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        return min(max(int(request.GET.get("year", this_year)), this_year - 10), this_year)
    except ValueError:
        return this_year


class GridView(DuesAccessMixin, View):
    """The year grid of the organization chosen (the user's own branch by default)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        organizations = list(grid_organizations(request.user))
        chosen = request.GET.get("organization") or request.user.organization_id
        organization = next((org for org in organizations if str(org.pk) == str(chosen)), None)
        if organization is None and request.GET.get("organization"):
            raise Http404
        if organization is None and organizations:
            organization = organizations[0]
        today = timezone.localdate()
        year = _year(request)
        context = {
            "page_title": _("Dues month by month"),
            "organizations": organizations,
            "organization": organization,
            "year": year,
            "years": range(today.year, today.year - 3, -1),
            "rows": grid_rows(organization, request.user, year, today) if organization else [],
            "this_month": today.month if year == today.year else 12,
            "months": range(1, 13),
        }
        return render(request, "dues/grid.html", context)


class MonthView(DuesAccessMixin, View):
    """One month of one organization: tick who paid, save once."""

    template_name = "dues/month.html"

    def setup_month(self, request: HttpRequest, org_pk: int, year: int, month: int) -> None:
        today = timezone.localdate()
        if not 1 <= month <= 12 or period_of(year, month) > period_of(today.year, 12) or year < today.year - 10:
            raise Http404
        self.organization = get_object_or_404(grid_organizations(request.user), pk=org_pk)
        self.year, self.month, self.today = year, month, today

    def entries(self) -> list[dict[str, Any]]:
        rows = grid_rows(self.organization, self.request.user, self.year, self.today)
        entries = []
        for member, cells in rows:
            cell = cells[self.month - 1]
            blocked = ""
            if cell.state == "none":
                blocked = _("no confirmed standard for %(year)d") % {"year": self.year}
            elif self.organization.kind == OrgKind.FLOWING and not actions.holds_certificate(member):
                blocked = _("no activity certificate: pays at the home branch")
            entries.append({"member": member, "cell": cell, "blocked": blocked})
        return entries

    def render(
        self, entries: list[dict[str, Any]], errors: list[str] = (), ticked: set[int] = frozenset(), paid_on: Any = None
    ) -> HttpResponse:  # type: ignore[assignment]
        context = {
            "page_title": _("Dues for %(year)d-%(month)02d") % {"year": self.year, "month": self.month},
            "organization": self.organization,
            "year": self.year,
            "month": self.month,
            "entries": entries,
            "errors": errors,
            "ticked": ticked,
            "paid_on": paid_on or self.today,
            "previous": _shift(self.year, self.month, -1),
            "next": _shift(self.year, self.month, 1),
        }
        return render(self.request, self.template_name, context, status=400 if errors else 200)

    def get(self, request: HttpRequest, org_pk: int, year: int, month: int) -> HttpResponse:
        self.setup_month(request, org_pk, year, month)
        return self.render(self.entries())

    def post(self, request: HttpRequest, org_pk: int, year: int, month: int) -> HttpResponse:
        self.setup_month(request, org_pk, year, month)
        entries = self.entries()
        by_id = {entry["member"].pk: entry["member"] for entry in entries}
        errors = []
        try:
            ticked = {int(value) for value in request.POST.getlist("paid")}
        except ValueError:  # not a member id (a hand-made POST)
            ticked = set()
            errors.append(_("Some members ticked are not on this organization's roll. Reload the page and tick again."))
        try:
            paid_on = parse_date(request.POST.get("paid_on", "") or "")
        except ValueError:  # 2026-02-30
            paid_on = None
        if paid_on is None:
            errors.append(_("Give the date the dues were paid, as 2026-03-01."))
        if ticked - set(by_id) and not errors:  # a member not on this organization's roll (a hand-made POST)
            errors.append(_("Some members ticked are not on this organization's roll. Reload the page and tick again."))
        if not errors:
            try:
                recorded = actions.record_month(
                    self.organization,
                    self.year,
                    self.month,
                    [by_id[pk] for pk in sorted(ticked)],
                    paid_on=paid_on,
                    by=request.user,
                )
            except ValidationError as error:
                errors = [_("Nothing was saved.")] + list(error.messages)
            else:
                if recorded:
                    messages.success(request, _("%(count)d payments recorded.") % {"count": recorded})
                else:
                    messages.info(request, _("Nothing new to record: these months were already paid."))
                return redirect(reverse("dues:month", args=[self.organization.pk, self.year, self.month]))
        return self.render(entries, errors, ticked, request.POST.get("paid_on"))


def _shift(year: int, month: int, step: int) -> tuple[int, int]:
    y, m = divmod(period_of(year, month) + step, 12)
    return y, m + 1
