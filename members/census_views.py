"""Census pages: campaigns and their progress, the task list, answering a task and calling its member."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
    WorkflowFormMixin,
)
from members import census
from members.filters import CampaignFilter, CensusTaskFilter
from members.forms import CampaignForm, CensusResultForm
from members.models import CensusCampaign, CensusTask, Holiday
from members.tables import CampaignTable, CensusTaskTable


class CampaignListView(ScopedListView):
    model = CensusCampaign
    filterset_class = CampaignFilter
    table_class = CampaignTable
    page_title = gettext_lazy("Census campaigns")

    def get_queryset(self) -> Any:
        # Counts of the tasks the user answers for: a secretary sees their own progress, the county everything.
        mine = CensusTask.objects.visible_to(self.request.user).values("pk")
        return (
            super()
            .get_queryset()
            .annotate(
                tasks_n=Count("tasks", filter=Q(tasks__in=mine)),
                answered_n=Count("tasks", filter=Q(tasks__in=mine, tasks__answered_at__isnull=False)),
            )
        )


class CampaignCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_CAMPAIGNS
    model = CensusCampaign
    form_class = CampaignForm
    page_title = gettext_lazy("New census campaign")

    def form_valid(self, form: Any) -> HttpResponse:
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class CampaignUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_CAMPAIGNS
    model = CensusCampaign
    form_class = CampaignForm


class CampaignWindowView(View):
    """The window proposed for a holiday and year (htmx, shown under the campaign form's fields)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        holiday, year = request.GET.get("holiday", ""), request.GET.get("year", "")
        context: dict[str, Any] = {}
        if (
            holiday in (Holiday.SPRING_FESTIVAL, Holiday.MID_AUTUMN)
            and year.isdecimal()
            and len(year) == 4
            and 1900 <= int(year) <= 2100
        ):
            start, end = census.proposed_window(holiday, int(year))
            context = {
                "holiday": Holiday(holiday).label,
                "day": census.holiday_date(holiday, int(year)),
                "start": start,
                "end": end,
                "name": census.proposed_name(holiday, int(year)),
            }
        return render(request, "members/includes/campaign_window.html", context)


class CampaignDetailView(ScopedQuerysetMixin, DetailView):
    """A campaign's live progress: county-wide and per organization, least advanced first, with who is behind."""

    model = CensusCampaign

    def get_template_names(self) -> list[str]:
        if self.request.htmx and not self.request.htmx.boosted:
            return ["members/includes/campaign_progress.html"]
        return ["members/censuscampaign_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(census.campaign_progress(self.object, self.request.user))
        context["manages"] = has_right(self.request.user, Right.MANAGE_CAMPAIGNS)
        context["organizations"] = self.object.organizations.all()
        return context


class CampaignStepView(RoleRequiredMixin, ScopedQuerysetMixin, View):
    """Open (creating the tasks) or close a campaign."""

    required_right = Right.MANAGE_CAMPAIGNS
    model = CensusCampaign

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        campaign = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            if step == "open":
                created = census.open_campaign(campaign, by=request.user)
                messages.success(request, _("The campaign is open: %(count)d new tasks.") % {"count": created})
            elif step == "close":
                census.close_campaign(campaign, by=request.user)
                messages.success(request, _("The campaign is closed."))
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(campaign)


class CensusTaskListView(LedgerExportMixin, ScopedListView):
    """The tasks the user answers for, by campaign (newest first), unanswered first; on a phone, name, campaign,
    result, phone and the answer button, so a member with tasks in two campaigns shows twice under their names."""

    model = CensusTask
    filterset_class = CensusTaskFilter
    table_class = CensusTaskTable
    select_related = ("member__current_outflow", "organization", "campaign")
    page_title = gettext_lazy("Census tasks")
    ledger = "census_results"
    # The campaign filter has a default: posted blank it stays in the address (members:search keeps it), meaning all.
    blank_means_all = ("campaign",)

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields["campaign"].empty_label = _("All campaigns")
        return filterset

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .order_by(
                "-campaign__starts_on", "-campaign_id", F("answered_at").desc(nulls_first=True), "member__name", "pk"
            )
        )


class CensusTaskAnswerView(WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """Record what was found about one member; the outflow follows through the outflow workflow."""

    model = CensusTask
    form_class = CensusResultForm
    template_name = "members/censustask_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.task = get_object_or_404(
            self.get_queryset().select_related("campaign", "member__current_outflow", "member__home_branch"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> Any:
        return _("Census: %(member)s") % {"member": self.task.member}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.task}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        call_task = self.task if self.task.campaign.is_open else None
        return super().get_context_data(task=self.task, member=self.task.member, call_task=call_task, **kwargs)

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return census.record_result(
            self.task,
            by=self.request.user,
            contacted=data["contacted"],
            channel=data.get("channel", ""),
            result=data["result"],
            note=data.get("note", ""),
            lost_cause=data.get("lost_cause", ""),
            whereabouts=form.whereabouts(),
        )

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        messages.success(self.request, _("Saved the census result for %(member)s.") % {"member": self.task.member})
        following = (
            CensusTask.objects.visible_to(self.request.user)
            .filter(campaign=self.task.campaign, answered_at__isnull=True)
            .order_by("member__name", "pk")
            .first()
        )
        if following is not None:
            return redirect("members:censustask_answer", following.pk)
        return redirect(reverse("members:censustask_list") + f"?campaign={self.task.campaign_id}")


class CensusCallView(ScopedQuerysetMixin, View):
    """Show the phone of a task's member, as a tel: link, to a user who answers for the task, with the open campaign
    as the audited reason: no reveal right needed, never the ID number, a daily limit (census.reveal_phone_for_call)."""

    model = CensusTask

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(self.get_queryset().select_related("campaign", "member"), pk=pk)
        template = "members/includes/census_call.html" if request.htmx else "members/censustask_call.html"
        context: dict[str, Any] = {"call_task": task, "member": task.member}
        try:
            census.reveal_phone_for_call(task, by=request.user)
        except ValidationError as error:
            context["call_refused"] = " ".join(error.messages)
        else:
            context["call_phone"] = task.member.phone
        return render(request, template, context)
