"""Member pages: list, detail with the outflow timeline, create / edit, reveal and outflow steps (the census pages are
in members/census_views.py)."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from activities.models import Activity, Attendance, AttendanceStatus, RedPackage
from lanshan_party import audit
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.models import AuditAction
from lanshan_party.personal_data import search_token
from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
    WorkflowFormMixin,
    redirect_in_scope,
)
from members import actions, census
from members.census_views import CensusTaskListView  # noqa: F401  (the census results ledger names it here)
from members.filters import MemberFilter
from members.forms import MemberForm, OutflowForm, RevealForm, TransitionForm
from members.models import (
    LIFE_LEVEL_LABELS,
    LIFE_NEXT_STEPS,
    Member,
    Outflow,
    OutflowEventKind,
    PartnerAttendance,
    PartnerEvaluation,
    Standing,
)
from members.tables import MemberTable


class MemberListView(LedgerExportMixin, ScopedListView):
    model = Member
    filterset_class = MemberFilter
    table_class = MemberTable
    ledger = "members"
    select_related = ("home_branch", "flowing_org", "current_outflow")
    prefetch_related = ("tags",)
    page_title = gettext_lazy("Members")


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    model = Member

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related(
                "home_branch",
                "flowing_org",
                "current_outflow__flowing_org",
                "current_outflow__partner_org",
                "current_outflow__refused_by",
            )
            .prefetch_related("tags")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        member = self.object
        outflows = list(
            Outflow.objects.filter(member=member)
            .select_related("flowing_org")
            .prefetch_related("events__by")
            .order_by("-departure_date", "-id")
        )
        context["outflows"] = outflows
        context["current"] = member.current_outflow
        allowed = actions.allowed_events(member.current_outflow) if member.current_outflow else []
        context["steps"] = [(event, STEP_LABELS[event]) for event in allowed]
        context["reveal_form"] = RevealForm()
        context["home_branch_visible"] = self.request.user.sees_organization(member.home_branch)
        context["call_task"] = census.call_task_for(member, self.request.user)
        current = member.current_outflow
        keeps = has_right(self.request.user, Right.KEEP_MEMBER_RECORDS)
        context["keeps_records"] = keeps
        context["handover_to"] = actions.handover_candidate(current) if current and keeps else None
        context["report_overdue"] = bool(current and current.is_report_overdue())
        # Only a member whose outflows ever named a destination partner has its records (no query otherwise).
        had_partner = any(outflow.partner_org_id for outflow in outflows)
        attendance = PartnerAttendance.objects.filter(member=member).select_related("partner_org")
        evaluations = PartnerEvaluation.objects.filter(member=member).select_related("partner_org")
        context["partner_attendance"] = attendance[:10] if had_partner else []
        context["partner_evaluations"] = evaluations[:5] if had_partner else []
        context["at_destination"] = bool(
            current
            and has_right(self.request.user, Right.RECORD_AT_DESTINATION)
            and current.partner_org_id == self.request.user.organization_id
        )
        context.update(organizational_life(member, self.request.user))
        return context


def organizational_life(member: Member, user: Any) -> dict[str, Any]:
    """The six-month rule's figures for the member page, with recent attendance and red packages."""
    level = member.life_warning_level()
    attendance = list(
        Attendance.objects.filter(member=member)
        .select_related("activity__organization")
        .order_by("-activity__date", "-activity_id")[:8]
    )
    visible_activities = set(
        Activity.objects.visible_to(user)
        .filter(pk__in=[row.activity_id for row in attendance])
        .values_list("pk", flat=True)
    )
    return {
        "life_level": level,
        "life_level_label": LIFE_LEVEL_LABELS.get(level, ""),
        "life_next_step": LIFE_NEXT_STEPS.get(level) if level else "",
        "recent_attendance": [(row, row.activity_id in visible_activities) for row in attendance],
        "red_packages": RedPackage.objects.filter(member=member).select_related("organization")[:5],
    }


class MemberSearchView(View):
    """Members the user may see, found by name, full ID number or phone (htmx): to pick in a form, to add to an
    attendance list, or to choose whom a red package is for. Attendance and packages are for members in normal
    standing only."""

    LIMIT = 20
    TEMPLATES = {
        "pick": "members/includes/member_pick_results.html",
        "attendance": "activities/includes/attendance_rows.html",
        "package": "activities/includes/member_choices.html",
    }

    def post(self, request: HttpRequest) -> HttpResponse:
        """The pickers post what is typed, so a full ID number or phone is never in a URL (nor the access log)."""
        return self.search(request, request.POST)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Names and partial text only: a full ID number or phone is searched only when posted."""
        return self.search(request, request.GET, names_only=True)

    def search(self, request: HttpRequest, data: Any, *, names_only: bool = False) -> HttpResponse:
        purpose = data.get("for") or request.GET.get("for", "pick")
        template = self.TEMPLATES.get(purpose, self.TEMPLATES["pick"])
        text = data.get("q", "").strip()
        if names_only and search_token(text) != text:
            text = ""
        members: list[Member] = []
        if text:
            found = Member.objects.visible_to(request.user).search(text)
            if purpose != "pick":
                found = found.filter(standing=Standing.NORMAL)
            members = list(found.select_related("home_branch", "flowing_org")[: self.LIMIT])
        context = {"members": members, "q": text, "limit": self.LIMIT, "statuses": AttendanceStatus.choices}
        return render(request, template, context)


class SearchRedirectView(View):
    """Where the filter form of a list searching members by full ID number or phone is posted: the number becomes a
    keyed-hash token (lanshan_party.personal_data.search_token) and the browser is sent back to the list with it, so the number
    is in no URL, access log, stored export query or title. Names and other filters go through unchanged."""

    def post(self, request: HttpRequest) -> HttpResponse:
        target = request.POST.get("next", "")
        if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            target = reverse("members:member_list")
        query = QueryDict(mutable=True)
        try:  # a list whose filter has a default keeps it blank in the address: blank is "all" there, absent the default
            view_class = getattr(resolve(target.split("?")[0]).func, "view_class", None)
        except Resolver404:
            view_class = None
        keep_blank = getattr(view_class, "blank_means_all", ())
        for name, values in request.POST.lists():
            if name in ("csrfmiddlewaretoken", "next"):
                continue
            values = [
                search_token(value) if name == "q" else value for value in values if value != "" or name in keep_blank
            ]
            if values:
                query.setlist(name, values)
        url = f"{target.split('?')[0]}?{query.urlencode()}" if query else target.split("?")[0]
        if request.htmx:
            # Loaded into the list's table as the filter form's own request would be, and pushed to the history.
            response = HttpResponse()
            response["HX-Location"] = json.dumps({"path": url, "target": "#table-container", "swap": "outerHTML"})
            return response
        return redirect(url)


class MemberCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS
    model = Member
    form_class = MemberForm
    page_title = gettext_lazy("New member")


class MemberUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS
    model = Member
    form_class = MemberForm


class MemberRevealView(ScopedQuerysetMixin, View):
    """Show one member's full ID number and phone to an authorized user, with the reason logged."""

    model = Member

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.may_reveal:
            raise PermissionDenied(_("You are not authorized to view full personal data."))
        form = RevealForm(request.POST)
        template = "members/includes/reveal.html" if request.htmx else "members/member_reveal.html"
        if not form.is_valid():
            return render(request, template, {"member": member, "reveal_form": form})
        audit.record(AuditAction.REVEAL, actor=request.user, obj=member, note=form.cleaned_data["reason"])
        return render(request, template, {"member": member, "revealed": True})


class OutflowRegisterView(RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Register a departure for a member who is at home."""

    required_right = Right.KEEP_MEMBER_RECORDS

    model = Member
    form_class = OutflowForm
    template_name = "members/outflow_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.member = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if self.member.standing != Standing.NORMAL:
            messages.warning(
                request,
                _("%(name)s is no longer on the roll (%(standing)s): no departure can be registered.")
                % {"name": self.member, "standing": self.member.get_standing_display()},
            )
            return redirect(self.member)
        if self.member.current_outflow_id:
            messages.warning(
                request,
                _("%(name)s is already away. Record a return before registering a new departure.")
                % {"name": self.member},
            )
            return redirect(self.member)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = Outflow(member=self.member)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"departure_date": timezone.localdate()}

    def get_page_title(self) -> str:
        return _("Register a departure · %(name)s") % {"name": self.member}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(member=self.member, **kwargs)

    def perform(self, form: OutflowForm) -> Any:
        return actions.register_outflow(
            self.member, by=self.request.user, note=form.cleaned_data["note"], **form.outflow_fields()
        )

    def succeeded(self, form: OutflowForm, result: Any) -> HttpResponse:
        messages.success(self.request, _("Departure registered for %(name)s.") % {"name": self.member})
        return redirect(self.member)


class OutflowUpdateView(RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Correct the whereabouts of an open outflow without changing its status; when they moved into the area of
    another flowing organization, the member's page then proposes handing the member over to it."""

    required_right = Right.KEEP_MEMBER_RECORDS

    model = Outflow
    form_class = OutflowForm
    template_name = "members/outflow_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.outflow = get_object_or_404(self.get_queryset().select_related("member"), pk=kwargs["pk"])
        self.member = self.outflow.member
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = Outflow.objects.get(pk=self.outflow.pk)
        return kwargs

    def get_page_title(self) -> str:
        return _("Update whereabouts · %(name)s") % {"name": self.member}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(member=self.member, outflow=self.outflow, **kwargs)

    def perform(self, form: OutflowForm) -> Any:
        return actions.update_whereabouts(
            self.outflow, by=self.request.user, note=form.cleaned_data["note"], **form.outflow_fields()
        )

    def succeeded(self, form: OutflowForm, result: Any) -> HttpResponse:
        proposed = actions.handover_candidate(result)
        if proposed is not None:
            messages.info(
                self.request,
                _("The new whereabouts are in the area of %(org)s. Hand the member over to it on this page.")
                % {"org": proposed},
            )
        return redirect_in_scope(self.request, self.member, _("Whereabouts updated."), fallback="members:member_list")


# What the buttons say: the step to take, not the status it leads to.
STEP_LABELS = {
    "report": gettext_lazy("Record reporting"),
    "return": gettext_lazy("Record return home"),
    "transfer": gettext_lazy("Record transfer out"),
    "lose": gettext_lazy("Mark lost"),
    "find": gettext_lazy("Mark found"),
    "close": gettext_lazy("Close the outflow"),
}


class OutflowTransitionView(RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """One step of the outflow workflow (report, return, transfer, lose, find, close)."""

    required_right = Right.KEEP_MEMBER_RECORDS

    model = Outflow
    form_class = TransitionForm
    template_name = "members/outflow_transition.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.outflow = get_object_or_404(self.get_queryset().select_related("member"), pk=kwargs["pk"])
        self.event = kwargs["event"]
        if self.event not in actions.STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "event": self.event}

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def get_page_title(self) -> str:
        return f"{STEP_LABELS[self.event]} · {self.outflow.member}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            outflow=self.outflow, member=self.outflow.member, event_label=OutflowEventKind(self.event).label, **kwargs
        )

    def perform(self, form: TransitionForm) -> Any:
        data = form.cleaned_data
        extra = {"cause": data["cause"]} if self.event == "lose" else {}
        if self.event == "report":
            extra = {"receiving_org_name": data.get("receiving_org_name", "")}
        return actions.STEPS[self.event](self.outflow, by=self.request.user, on=data["on"], note=data["note"], **extra)

    def succeeded(self, form: TransitionForm, result: Any) -> HttpResponse:
        done = _("%(event)s: recorded.") % {"event": OutflowEventKind(self.event).label}
        return redirect_in_scope(self.request, self.outflow.member, done, fallback="members:member_list")
