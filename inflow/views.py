"""Inflow member pages: list (and ledger), detail with reports back and attendance, create / edit, reveal, the workflow
steps, the six-month-rule warnings of inflow members, and their attendance at an activity."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from activities.models import Activity, AttendanceStatus
from inflow import actions
from inflow.filters import InflowLifeWarningFilter, InflowMemberFilter
from inflow.forms import EndForm, InflowMemberForm, ReportBackForm, ReportInForm
from inflow.models import InflowAttendance, InflowMember, InflowStatus
from inflow.tables import InflowLifeWarningTable, InflowMemberTable, warning_level
from lanshan_party import audit
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.models import AuditAction, Role
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    ScopedListView,
    ScopedQuerysetMixin,
    WorkflowFormMixin,
    redirect_in_scope,
)
from members.forms import RevealForm
from members.models import LIFE_LEVEL_LABELS, LIFE_NEXT_STEPS, LIFE_WARNING_MONTHS


class OurTreeOnlyMixin:
    """Inflow members are the business of the county's own organizations: a destination partner's account has no
    page here, as if it did not exist (404)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) == Role.PARTNER:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class InflowMemberListView(OurTreeOnlyMixin, LedgerExportMixin, ScopedListView):
    model = InflowMember
    filterset_class = InflowMemberFilter
    table_class = InflowMemberTable
    ledger = "inflow"
    select_related = ("branch",)
    page_title = gettext_lazy("Inflow members")


class InflowMemberDetailView(OurTreeOnlyMixin, ScopedQuerysetMixin, DetailView):
    request: AuthenticatedHttpRequest
    model = InflowMember

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("branch")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        inflow = self.object
        context["reports"] = list(inflow.reports.select_related("by"))
        attendance = list(
            InflowAttendance.objects.filter(inflow_member=inflow)
            .select_related("activity__organization")
            .order_by("-activity__date", "-activity_id")[:10]
        )
        visible = set(
            Activity.objects.visible_to(self.request.user)
            .filter(pk__in=[row.activity_id for row in attendance])
            .values_list("pk", flat=True)
        )
        context["recent_attendance"] = [(row, row.activity_id in visible) for row in attendance]
        level = warning_level(inflow) if inflow.status == InflowStatus.REPORTED else None
        context["life_level"] = level
        context["life_level_label"] = LIFE_LEVEL_LABELS.get(level, "") if level else ""
        context["life_next_step"] = LIFE_NEXT_STEPS.get(level, "") if level else ""
        context["reveal_form"] = RevealForm()
        return context


class InflowMemberCreateView(OurTreeOnlyMixin, AuditedCreateView):
    model = InflowMember
    form_class = InflowMemberForm
    page_title = gettext_lazy("New inflow member")


class InflowMemberUpdateView(OurTreeOnlyMixin, AuditedUpdateView):
    model = InflowMember
    form_class = InflowMemberForm


class InflowMemberRevealView(OurTreeOnlyMixin, ScopedQuerysetMixin, View):
    """Show one inflow member's full ID number and phones to an authorized user, with the reason logged."""

    model = InflowMember

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        inflow = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.may_reveal:
            raise PermissionDenied(_("You are not authorized to view full personal data."))
        form = RevealForm(request.POST)
        template = "inflow/includes/reveal.html" if request.htmx else "inflow/inflowmember_reveal.html"
        if not form.is_valid():
            return render(request, template, {"inflow": inflow, "reveal_form": form})
        audit.record(AuditAction.REVEAL, actor=request.user, obj=inflow, note=form.cleaned_data["reason"])
        return render(request, template, {"inflow": inflow, "revealed": True})


class InflowStepView(OurTreeOnlyMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """One step of the inflow workflow on its own form page."""

    request: AuthenticatedHttpRequest

    model = InflowMember
    template_name = "inflow/inflow_step.html"
    step_label: Any = ""
    allowed_statuses: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) == Role.PARTNER:
            raise Http404  # before the look-up, like OurTreeOnlyMixin
        self.inflow = get_object_or_404(self.get_queryset().select_related("branch"), pk=kwargs["pk"])
        if self.inflow.status not in self.allowed_statuses:
            messages.warning(
                request,
                _("%(name)s is “%(status)s”: this step is not open now.")
                % {"name": self.inflow, "status": self.inflow.get_status_display()},
            )
            return redirect(self.inflow)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_page_title(self) -> str:
        return f"{self.step_label} · {self.inflow}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(inflow=self.inflow, **kwargs)

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        done = _("%(step)s: recorded.") % {"step": self.step_label}
        return redirect_in_scope(self.request, self.inflow, done, fallback="inflow:inflowmember_list")


class ReportInView(InflowStepView):
    form_class = ReportInForm
    step_label = gettext_lazy("Record the report-in")
    allowed_statuses = (InflowStatus.PENDING,)

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate(), "branch": self.inflow.branch_id}

    def perform(self, form: ReportInForm) -> Any:
        data = form.cleaned_data
        return actions.report_in(
            self.inflow, branch=data["branch"], on=data["on"], by=self.request.user, note=data["note"]
        )


class ReportBackView(InflowStepView):
    form_class = ReportBackForm
    step_label = gettext_lazy("Report to the home organization")
    allowed_statuses = (InflowStatus.PENDING, InflowStatus.REPORTED)

    def perform(self, form: ReportBackForm) -> Any:
        data = form.cleaned_data
        return actions.record_report_back(
            self.inflow, on=data["reported_on"], channel=data["channel"], content=data["content"], by=self.request.user
        )


class EndView(InflowStepView):
    form_class = EndForm
    step_label = gettext_lazy("Record leaving Lanshan")
    allowed_statuses = (InflowStatus.PENDING, InflowStatus.REPORTED)

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def perform(self, form: EndForm) -> Any:
        data = form.cleaned_data
        return actions.end_inflow(self.inflow, on=data["on"], reason=data["reason"], by=self.request.user)


class InflowLifeWarningListView(OurTreeOnlyMixin, ScopedListView):
    """Inflow members at 3, 5 and 6+ months without organizational life (流入党员组织生活预警), apart from our own."""

    request: AuthenticatedHttpRequest

    model = InflowMember
    filterset_class = InflowLifeWarningFilter
    table_class = InflowLifeWarningTable
    select_related = ("branch",)
    page_title = gettext_lazy("Inflow members' organizational life warnings")
    template_name = "inflow/life_warning_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().life_warnings()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.htmx and not self.request.htmx.boosted:
            return context
        counts = InflowMember.objects.visible_to(self.request.user).life_warning_counts()
        context["levels"] = [
            (months, LIFE_LEVEL_LABELS[months], counts[months], LIFE_NEXT_STEPS[months])
            for months in LIFE_WARNING_MONTHS
        ]
        return context


class ActivityInflowAttendanceView(OurTreeOnlyMixin, View):
    """The inflow members of an activity's organization (and its branches), marked present, online, excused or
    absent: counted apart from its own members. Shown on the activity page (htmx) and as a page of its own."""

    def roster(self, request: AuthenticatedHttpRequest, activity: Activity) -> list[InflowMember]:
        recorded = InflowAttendance.objects.filter(activity=activity).values("inflow_member")
        members = InflowMember.objects.visible_to(request.user).in_subtree(activity.organization.path)
        return list(
            (members.present().filter(arrived_on__lte=activity.date) | members.filter(pk__in=recorded))
            .select_related("branch")
            .order_by("name", "id")
        )

    def context(
        self, request: AuthenticatedHttpRequest, activity: Activity, errors: list[str] | None = None
    ) -> dict[str, Any]:
        rows = self.roster(request, activity)
        statuses = dict(InflowAttendance.objects.filter(activity=activity).values_list("inflow_member_id", "status"))
        counted = {status: 0 for status in AttendanceStatus.values}
        for status in statuses.values():
            counted[status] += 1
        return {
            "activity": activity,
            "rows": [(inflow, statuses.get(inflow.pk, "")) for inflow in rows],
            "statuses": AttendanceStatus.choices,
            "attended": counted["present"] + counted["online"],
            "recorded": len(statuses),
            "errors": errors or [],
            "page_title": _("Inflow members' attendance · %(activity)s") % {"activity": activity},
        }

    def render(
        self, request: AuthenticatedHttpRequest, activity: Activity, errors: list[str] | None = None, status: int = 200
    ) -> Any:
        template = (
            "inflow/includes/activity_attendance.html"
            if request.htmx and not request.htmx.boosted
            else "inflow/activity_attendance.html"
        )
        return render(request, template, self.context(request, activity, errors), status=status)

    def activity(self, request: AuthenticatedHttpRequest, pk: int) -> Activity:
        return get_object_or_404(Activity.objects.visible_to(request.user).select_related("organization"), pk=pk)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.activity(request, pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        activity = self.activity(request, pk)
        roster = {inflow.pk for inflow in self.roster(request, activity)}
        statuses = {}
        for inflow_id in roster:  # only the members listed: any other id posted is not looked at
            value = request.POST.get(f"status_{inflow_id}")
            if value is not None:
                statuses[inflow_id] = value if value in AttendanceStatus.values else ""
        try:
            actions.save_inflow_attendance(activity, statuses=statuses, by=request.user)
        except ValidationError as error:
            return self.render(request, activity, errors=error.messages)
        messages.success(request, _("Inflow members' attendance saved."))
        if request.htmx:
            return self.render(request, activity)
        return redirect(activity)
