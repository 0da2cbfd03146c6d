"""Member pages: list, detail with the outflow timeline, create / edit, reveal, and outflow steps."""

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

from activities.models import Activity, Attendance, AttendanceStatus, RedPackage
from activities.views import NEXT_STEPS
from lanshan_party import audit
from lanshan_party.models import AuditAction
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    ScopedListView,
    ScopedQuerysetMixin,
)
from members import actions
from members.filters import MemberFilter
from members.forms import MemberForm, OutflowForm, RevealForm, TransitionForm
from members.models import LIFE_LEVEL_LABELS, Member, Outflow, OutflowEventKind, Standing
from members.tables import MemberTable


class MemberListView(ScopedListView):
    model = Member
    filterset_class = MemberFilter
    table_class = MemberTable
    select_related = ("home_branch", "flowing_org", "current_outflow")
    prefetch_related = ("tags",)
    page_title = gettext_lazy("Members")


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    model = Member

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("home_branch", "flowing_org", "current_outflow__flowing_org")
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
        "life_next_step": NEXT_STEPS.get(level) if level else "",
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

    def get(self, request: HttpRequest) -> HttpResponse:
        purpose = request.GET.get("for", "pick")
        template = self.TEMPLATES.get(purpose, self.TEMPLATES["pick"])
        text = request.GET.get("q", "").strip()
        members: list[Member] = []
        if text:
            found = Member.objects.visible_to(request.user).search(text)
            if purpose != "pick":
                found = found.filter(standing=Standing.NORMAL)
            members = list(found.select_related("home_branch", "flowing_org")[: self.LIMIT])
        context = {"members": members, "q": text, "limit": self.LIMIT, "statuses": AttendanceStatus.choices}
        return render(request, template, context)


class MemberCreateView(AuditedCreateView):
    model = Member
    form_class = MemberForm
    page_title = gettext_lazy("New member")


class MemberUpdateView(AuditedUpdateView):
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


class OutflowRegisterView(PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Register a departure for a member who is at home."""

    model = Member
    form_class = OutflowForm
    template_name = "members/outflow_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.member = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
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

    def form_valid(self, form: OutflowForm) -> HttpResponse:
        try:
            actions.register_outflow(
                self.member, by=self.request.user, note=form.cleaned_data["note"], **form.outflow_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Departure registered for %(name)s.") % {"name": self.member})
        return redirect(self.member)


class OutflowUpdateView(PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Correct the whereabouts of an open outflow without changing its status."""

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

    def form_valid(self, form: OutflowForm) -> HttpResponse:
        try:
            actions.update_whereabouts(
                self.outflow, by=self.request.user, note=form.cleaned_data["note"], **form.outflow_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Whereabouts updated."))
        return redirect(self.member)


# What the buttons say: the step to take, not the status it leads to.
STEP_LABELS = {
    "report": gettext_lazy("Record reporting"),
    "return": gettext_lazy("Record return home"),
    "transfer": gettext_lazy("Record transfer out"),
    "lose": gettext_lazy("Mark lost"),
    "find": gettext_lazy("Mark found"),
    "close": gettext_lazy("Close the outflow"),
}


class OutflowTransitionView(PageTitleMixin, ScopedQuerysetMixin, FormView):
    """One step of the outflow workflow (report, return, transfer, lose, find, close)."""

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

    def form_valid(self, form: TransitionForm) -> HttpResponse:
        data = form.cleaned_data
        extra = {"cause": data["cause"]} if self.event == "lose" else {}
        try:
            actions.STEPS[self.event](self.outflow, by=self.request.user, on=data["on"], note=data["note"], **extra)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(event)s: recorded.") % {"event": OutflowEventKind(self.event).label})
        return redirect(self.outflow.member)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
