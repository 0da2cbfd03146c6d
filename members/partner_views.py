"""The destination partner's pages (流入地党组织): the report-ins waiting for it, accepting or refusing one, and
recording attendance at its own activities and the yearly democratic evaluation; and, on our side, handing a member
over to the flowing organization whose area their whereabouts moved into."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedQuerysetMixin,
    WorkflowFormMixin,
    redirect_in_scope,
)
from members import actions, partner_actions
from members.models import OPEN_STATUSES, Member, Outflow, OutflowStatus
from members.partner_forms import (
    AcceptReportInForm,
    PartnerAttendanceForm,
    PartnerEvaluationForm,
    RefuseReportInForm,
)


class PartnerDeskView(RoleRequiredMixin, PageTitleMixin, ScopedQuerysetMixin, ListView):
    """报到待确认: the members whose outflow names the user's partner organization and who have not reported in yet,
    the longest overdue first."""

    required_right = Right.RECORD_AT_DESTINATION
    model = Member
    paginate_by = 50
    template_name = "members/partner_desk.html"
    page_title = gettext_lazy("Report-ins to confirm")

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .filter(current_outflow__status=OutflowStatus.REGISTERED)
            .select_related("current_outflow", "home_branch")
            .order_by("current_outflow__report_due_on", "name", "id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class PartnerOutflowMixin(RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin):
    """A step on an open outflow naming the user's own partner organization; any other outflow is a 404."""

    required_right = Right.RECORD_AT_DESTINATION
    model = Outflow
    template_name = "members/partner_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, self.required_right):
            return super().dispatch(request, *args, **kwargs)  # refused there, before anything is looked up
        # A partner account without an organization sees no member at all, so no outflow either: a 404.
        queryset = self.get_queryset().filter(status__in=OPEN_STATUSES, partner_org_id=request.user.organization_id)
        self.outflow = get_object_or_404(queryset.select_related("member"), pk=kwargs["pk"])
        self.member = self.outflow.member
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(member=self.member, outflow=self.outflow, **kwargs)


class ReportInAcceptView(PartnerOutflowMixin, FormView):
    form_class = AcceptReportInForm

    def get_page_title(self) -> str:
        return _("Accept the report-in · %(name)s") % {"name": self.member}

    def perform(self, form: AcceptReportInForm) -> Any:
        data = form.cleaned_data
        return actions.report_arrival(
            self.outflow,
            by=self.request.user,
            on=data["on"],
            note=data["note"],
            receiving_org_name=data["receiving_org_name"],
        )

    def succeeded(self, form: AcceptReportInForm, result: Any) -> HttpResponse:
        messages.success(self.request, _("%(name)s has reported in.") % {"name": self.member})
        return redirect("members:partner_desk")


class ReportInRefuseView(PartnerOutflowMixin, FormView):
    form_class = RefuseReportInForm

    def get_page_title(self) -> str:
        return _("Refuse the report-in · %(name)s") % {"name": self.member}

    def perform(self, form: RefuseReportInForm) -> Any:
        data = form.cleaned_data
        return actions.refuse_report_in(self.outflow, by=self.request.user, on=data["on"], reason=data["reason"])

    def succeeded(self, form: RefuseReportInForm, result: Any) -> HttpResponse:
        messages.success(
            self.request,
            _("The report-in of %(name)s is refused; the member's organization has been told why.")
            % {"name": self.member},
        )
        return redirect("members:partner_desk")


class PartnerRecordView(RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Attendance at one of the partner's activities, or the year's democratic evaluation, for one of its members."""

    required_right = Right.RECORD_AT_DESTINATION
    model = Member
    template_name = "members/partner_form.html"
    FORMS = {"attendance": PartnerAttendanceForm, "evaluation": PartnerEvaluationForm}
    TITLES = {
        "attendance": gettext_lazy("Record attendance · %(name)s"),
        "evaluation": gettext_lazy("Record the democratic evaluation · %(name)s"),
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs["record"] not in self.FORMS:
            raise Http404
        self.record = kwargs["record"]
        if not has_right(request.user, self.required_right):
            return super().dispatch(request, *args, **kwargs)  # refused there, before anything is looked up
        self.member = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> Any:
        return self.FORMS[self.record]

    def get_page_title(self) -> str:
        return str(self.TITLES[self.record]) % {"name": self.member}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(member=self.member, outflow=self.member.current_outflow, **kwargs)

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        if self.record == "attendance":
            return partner_actions.record_attendance(
                self.member, by=self.request.user, date=data["date"], title=data["title"], attended=data["attended"]
            )
        return partner_actions.record_evaluation(
            self.member, by=self.request.user, year=data["year"], grade=data["grade"], conduct=data["conduct"]
        )

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        messages.success(self.request, _("Recorded for %(name)s.") % {"name": self.member})
        return redirect(self.member)


class HandOverView(RoleRequiredMixin, ScopedQuerysetMixin, View):
    """One click from the member's page: hand the member over to the flowing organization whose area their
    whereabouts are now in (the one the page proposes, nothing else)."""

    required_right = Right.KEEP_MEMBER_RECORDS
    model = Outflow

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        outflow = get_object_or_404(self.get_queryset().select_related("member", "flowing_org"), pk=pk)
        member = outflow.member
        proposed = actions.handover_candidate(outflow)
        target = proposed if proposed is not None and request.POST.get("to") == str(proposed.pk) else None
        if proposed is None or target is None or target.pk != proposed.pk:
            messages.warning(
                request,
                _("The member's whereabouts changed meanwhile: nothing was handed over. Check the page and try again."),
            )
            return redirect(member)
        try:
            actions.hand_over(outflow, to=target, by=request.user)
        except ValidationError as error:  # said on the page, nothing changed
            messages.error(request, " ".join(error.messages))
            return redirect(member)
        done = _("%(name)s handed over to %(org)s.") % {"name": member, "org": target}
        return redirect_in_scope(request, member, done, fallback="members:member_list")
