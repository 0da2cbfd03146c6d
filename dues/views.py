"""Dues pages: standards, payments, arrears, reductions and exemptions, a member's dues, and the yearly summary.
The branch's month grid is in grid_views.py. Every page needs the KEEP_DUES right (others get a 404: for a
destination partner the pages do not exist) and reaches rows through visible_to: outside the subtree is a 404."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dues import actions, rates
from dues.arrears import ARREARS_LEVEL_LABELS, ARREARS_NEXT_STEPS, in_arrears, monthly_amounts, settled_months
from dues.filters import ArrearsFilter, DuesPaymentFilter, DuesReliefFilter, DuesStandardFilter
from dues.forms import DecisionForm, DuesStandardForm, PaymentForm, ReliefForm
from dues.models import ARREARS_LEVELS, DuesMonth, DuesPayment, DuesRelief, DuesStandard
from dues.summary import summary_rows
from dues.tables import ArrearsTable, DuesPaymentTable, DuesReliefTable, DuesStandardTable
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.rights import Right, has_right
from lanshan_party.views import PageTitleMixin, ScopedListView, add_errors
from members.models import Member, Standing


class DuesAccessMixin:
    """Only roles with the dues right; for the others (destination partners) the dues pages do not exist."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_DUES):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def visible_member(request: HttpRequest, pk: int) -> Member:
    members = Member.objects.visible_to(request.user).select_related("home_branch", "flowing_org", "current_outflow")
    return get_object_or_404(members, pk=pk)


def paid_in_year() -> dict[str, Any]:
    """Annotations of a standard: months settled in its year (paid or exempted) and the amount paid for them."""
    months = DuesMonth.objects.filter(member=OuterRef("member"), year=OuterRef("year")).order_by().values("member")
    return {
        "months_paid": Coalesce(
            Subquery(
                months.filter(payment__isnull=False).annotate(n=Count("id")).values("n"), output_field=IntegerField()
            ),
            Value(0),
        ),
        "months_settled": Coalesce(
            Subquery(months.annotate(n=Count("id")).values("n"), output_field=IntegerField()), Value(0)
        ),
        "amount_paid": Coalesce(
            Subquery(
                months.filter(payment__isnull=False).annotate(total=Sum("amount")).values("total"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    }


class DuesStandardListView(DuesAccessMixin, LedgerExportMixin, ScopedListView):
    model = DuesStandard
    filterset_class = DuesStandardFilter
    table_class = DuesStandardTable
    ledger = "dues"
    select_related = ("member", "home_branch")
    page_title = gettext_lazy("Dues standards")
    template_name = "dues/list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().annotate(**paid_in_year())


class DuesPaymentListView(DuesAccessMixin, LedgerExportMixin, ScopedListView):
    model = DuesPayment
    filterset_class = DuesPaymentFilter
    table_class = DuesPaymentTable
    ledger = "dues_payments"
    select_related = ("member", "paid_at", "home_branch")
    prefetch_related = ("months",)
    page_title = gettext_lazy("Dues payments")
    template_name = "dues/list.html"


class ArrearsListView(DuesAccessMixin, ScopedListView):
    """Members 3 or more consecutive months behind with their dues, up to last month."""

    model = Member
    filterset_class = ArrearsFilter
    table_class = ArrearsTable
    select_related = ("home_branch", "flowing_org")
    page_title = gettext_lazy("Dues in arrears")
    template_name = "dues/arrears_list.html"

    def get_queryset(self) -> Any:
        return in_arrears(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.htmx and not self.request.htmx.boosted:
            return context
        members = in_arrears(Member.objects.visible_to(self.request.user))
        counts = members.aggregate(**{f"level_{level}": _count_at(level) for level in ARREARS_LEVELS})
        context["levels"] = [
            (level, ARREARS_LEVEL_LABELS[level], counts[f"level_{level}"], ARREARS_NEXT_STEPS[level])
            for level in ARREARS_LEVELS
        ]
        return context


def _count_at(level: int) -> Any:
    upper = [later for later in ARREARS_LEVELS if later > level]
    condition = Q(dues_behind__gte=level)
    if upper:
        condition &= Q(dues_behind__lt=upper[0])
    return Count("id", filter=condition)


class DuesReliefListView(DuesAccessMixin, ScopedListView):
    model = DuesRelief
    filterset_class = DuesReliefFilter
    table_class = DuesReliefTable
    select_related = ("member", "organization", "approver")
    page_title = gettext_lazy("Dues reductions and exemptions")
    template_name = "dues/list.html"


class MemberDuesView(DuesAccessMixin, View):
    """One member's dues for a year: the standard, each month, the payments and the reliefs, with what to do next."""

    def get(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        member = visible_member(request, member_pk)
        year = _year(request)
        standard = DuesStandard.objects.filter(member=member, year=year).first()
        amounts = monthly_amounts([member.pk], year).get(member.pk)
        settled = settled_months([member.pk], year).get(member.pk, {})
        months = []
        for month in range(1, 13):
            row = settled.get(month)
            months.append((month, amounts[month - 1] if amounts else None, row))
        context = {
            "page_title": _("Dues of %(member)s") % {"member": member},
            "member": member,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 3, -1),
            "standard": standard,
            "months": months,
            "payments": DuesPayment.objects.filter(member=member)
            .select_related("paid_at")
            .prefetch_related("months")[:24],
            "reliefs": DuesRelief.objects.filter(member=member).select_related("approver")[:12],
            "may_pay": member.standing == Standing.NORMAL,
        }
        return render(request, "dues/member_dues.html", context)


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return min(max(year, this_year - 10), this_year + 1)


class StandardFormView(DuesAccessMixin, View):
    """Set a member's standard for a year, or change it while it is not confirmed."""

    template_name = "dues/standard_form.html"

    def setup_object(self, request: HttpRequest, member_pk: int | None, pk: int | None) -> None:
        if pk is not None:
            self.object = get_object_or_404(
                DuesStandard.objects.visible_to(request.user).select_related("member"), pk=pk
            )
            self.member = visible_member(request, self.object.member_id)
        else:
            self.member = visible_member(request, member_pk)  # type: ignore[arg-type]
            self.object = DuesStandard(member=self.member)

    def render(self, form: DuesStandardForm) -> HttpResponse:
        title = _("Dues standard of %(member)s") % {"member": self.member}
        context = {
            "form": form,
            "page_title": title,
            "member": self.member,
            "object": self.object,
            "farmer_monthly": rates.farmer_monthly(),
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, member_pk: int | None = None, pk: int | None = None) -> HttpResponse:
        self.setup_object(request, member_pk, pk)
        if self.object.is_confirmed:
            messages.info(request, _("The standard is confirmed and locked for the year."))
            return redirect(reverse("dues:member_dues", args=[self.member.pk]) + f"?year={self.object.year}")
        return self.render(DuesStandardForm(instance=self.object, user=request.user, member=self.member))

    def post(self, request: HttpRequest, member_pk: int | None = None, pk: int | None = None) -> HttpResponse:
        self.setup_object(request, member_pk, pk)
        form = DuesStandardForm(request.POST, instance=self.object, user=request.user, member=self.member)
        if not form.is_valid():
            return self.render(form)
        standard = form.save(commit=False)
        try:
            with transaction.atomic():  # the version claim holds the row until the save is committed
                if not form.claim_version():
                    return self.render(form)
                actions.save_standard(standard, by=request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form)
        except IntegrityError:  # the same member's standard for the year saved meanwhile (a double submit)
            form.add_error(None, DuesStandard._meta.constraints[0].violation_error_message)
            return self.render(form)
        if "confirm" in request.POST:
            actions.confirm_standard(standard, by=request.user)
        messages.success(
            request,
            _("Saved: %(amount)s yuan a month for %(year)d.") % {"amount": standard.amount, "year": standard.year},
        )
        return redirect(reverse("dues:member_dues", args=[self.member.pk]) + f"?year={standard.year}")


class StandardConfirmView(DuesAccessMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        standard = get_object_or_404(DuesStandard.objects.visible_to(request.user).select_related("member"), pk=pk)
        if actions.confirm_standard(standard, by=request.user):
            messages.success(request, _("The standard is confirmed and locked for %(year)d.") % {"year": standard.year})
        else:
            messages.info(request, _("The standard was already confirmed."))
        return redirect(reverse("dues:member_dues", args=[standard.member_id]) + f"?year={standard.year}")


class PaymentCreateView(DuesAccessMixin, View):
    template_name = "dues/payment_form.html"

    def render(self, form: PaymentForm) -> HttpResponse:
        context = {
            "form": form,
            "member": form.member,
            "page_title": _("Dues payment of %(member)s") % {"member": form.member},
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        return self.render(PaymentForm(member=visible_member(request, member_pk)))

    def post(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        member = visible_member(request, member_pk)
        form = PaymentForm(request.POST, member=member)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        amount = data["amount"]
        try:
            if amount is None:  # exactly the dues of the months ticked
                due = actions.check_months(member, data["month_list"], data["paid_on"])
                amount = sum(due.values()) or None
            actions.record_payment(
                member,
                months=data["month_list"],
                amount=amount,
                paid_on=data["paid_on"],
                paid_at=data["paid_at_org"],
                paid_by=data["paid_by"],
                proxy_name=data["proxy_name"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form)
        messages.success(request, _("Payment of %(amount)s yuan recorded.") % {"amount": amount})
        return redirect(reverse("dues:member_dues", args=[member.pk]) + f"?year={data['month_list'][0][0]}")


class ReliefCreateView(DuesAccessMixin, View):
    template_name = "dues/relief_form.html"

    def render(self, form: ReliefForm, member: Member) -> HttpResponse:
        title = _("Reduction or exemption of dues for %(member)s") % {"member": member}
        return render(self.request, self.template_name, {"form": form, "member": member, "page_title": title})

    def get(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        member = visible_member(request, member_pk)
        return self.render(ReliefForm(user=request.user, member=member), member)

    def post(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        member = visible_member(request, member_pk)
        form = ReliefForm(request.POST, user=request.user, member=member)
        if not form.is_valid():
            return self.render(form, member)
        try:
            relief = actions.request_relief(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, member)
        messages.success(request, _("Sent to %(org)s for approval.") % {"org": relief.approver.name})
        return redirect("dues:relief_list")


class ReliefDecideView(DuesAccessMixin, View):
    template_name = "dues/relief_decide.html"

    def get_object(self, request: HttpRequest, pk: int) -> DuesRelief:
        reliefs = DuesRelief.objects.visible_to(request.user).select_related("member", "approver", "organization")
        return get_object_or_404(reliefs, pk=pk)

    def render(self, relief: DuesRelief, form: DecisionForm | None) -> HttpResponse:
        context = {"object": relief, "form": form, "page_title": str(relief)}
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relief = self.get_object(request, pk)
        may = relief.status == "requested" and actions.may_decide(request.user, relief)
        return self.render(relief, DecisionForm() if may else None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relief = self.get_object(request, pk)
        if not has_right(request.user, Right.APPROVE_DUES_RELIEF):
            messages.error(request, _("Your role does not decide reductions and exemptions."))
            return redirect(reverse("dues:relief_decide", args=[pk]))
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render(relief, form)
        try:
            actions.decide_relief(
                relief,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.render(relief, form)
        messages.success(request, _("Decision recorded."))
        return redirect("dues:relief_list")


class SummaryView(DuesAccessMixin, PageTitleMixin, View):
    """The yearly published summary of dues (党费收缴使用情况) per organization of the user's subtree, with totals."""

    page_title = gettext_lazy("Dues collected: yearly summary")

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        rows, total = summary_rows(request.user, year)
        this_year = timezone.localdate().year
        context = {
            "page_title": self.get_page_title(),
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "rows": rows,
            "total": total,
        }
        return render(request, "dues/summary.html", context)
