"""Services pages: the cross-province catalog, service cases with their totals, recognitions,
representative posts and hometown projects — each a list, create / edit forms, and for cases and
projects a detail page."""

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.rights import Right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
)
from members.models import Member
from services.filters import (
    HometownProjectFilter,
    RecognitionFilter,
    RepresentativePostFilter,
    ServiceCaseFilter,
    ServiceItemFilter,
)
from services.forms import (
    HometownProjectForm,
    RecognitionForm,
    RepresentativePostForm,
    ServiceCaseForm,
    ServiceItemForm,
)
from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase, ServiceItem
from services.tables import (
    HometownProjectTable,
    RecognitionTable,
    RepresentativePostTable,
    ServiceCaseTable,
    ServiceItemTable,
)

# Who edits the county-wide catalog; everybody reads it.

# ---------------------------------------------------------------- the cross-province catalog


class ServiceItemListView(ScopedListView):
    model = ServiceItem
    filterset_class = ServiceItemFilter
    table_class = ServiceItemTable
    table_pagination = {"per_page": 100}
    page_title = gettext_lazy("Cross-province service catalog")


class ServiceItemCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_CATALOG
    model = ServiceItem
    form_class = ServiceItemForm
    page_title = gettext_lazy("New catalog item")
    success_url = reverse_lazy("services:serviceitem_list")


class ServiceItemUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_CATALOG
    model = ServiceItem
    form_class = ServiceItemForm
    success_url = reverse_lazy("services:serviceitem_list")


# ---------------------------------------------------------------- service cases


class ServiceCaseListView(LedgerExportMixin, ScopedListView):
    model = ServiceCase
    filterset_class = ServiceCaseFilter
    table_class = ServiceCaseTable
    ledger = "service_cases"
    select_related = ("organization", "member", "service_item")
    page_title = gettext_lazy("Services and mediations")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The figures of exactly the filtered rows, as one aggregate query.
        return super().get_context_data(totals=self.object_list.totals(), **kwargs)

    def get_template_names(self) -> list[str]:
        if self.request.htmx and not self.request.htmx.boosted:
            return ["services/includes/servicecase_results.html"]  # the table and, out of band, the totals
        return super().get_template_names()


class ServiceCaseDetailView(ScopedQuerysetMixin, DetailView):
    model = ServiceCase

    def get_queryset(self) -> Any:
        return (
            super().get_queryset().select_related("organization", "member__home_branch", "service_item", "handled_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = self.object
        # The case is visible through its organization; the member's own page only if the member is too.
        context["member_visible"] = bool(
            case.member_id and Member.objects.visible_to(self.request.user).filter(pk=case.member_id).exists()
        )
        return context


class ServiceCaseCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = ServiceCase
    form_class = ServiceCaseForm
    page_title = gettext_lazy("Record a service")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("member", "kind"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial


class ServiceCaseUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = ServiceCase
    form_class = ServiceCaseForm


# ---------------------------------------------------------------- recognitions and representative posts


class RecognitionListView(ScopedListView):
    model = Recognition
    filterset_class = RecognitionFilter
    table_class = RecognitionTable
    select_related = ("member__home_branch",)
    page_title = gettext_lazy("Recognitions")


class RecognitionCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = Recognition
    form_class = RecognitionForm
    page_title = gettext_lazy("New recognition")
    success_url = reverse_lazy("services:recognition_list")


class RecognitionUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = Recognition
    form_class = RecognitionForm
    success_url = reverse_lazy("services:recognition_list")


class RepresentativePostListView(ScopedListView):
    model = RepresentativePost
    filterset_class = RepresentativePostFilter
    table_class = RepresentativePostTable
    select_related = ("member__home_branch",)
    page_title = gettext_lazy("Representative posts")


class RepresentativePostCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = RepresentativePost
    form_class = RepresentativePostForm
    page_title = gettext_lazy("New representative post")
    success_url = reverse_lazy("services:representativepost_list")


class RepresentativePostUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = RepresentativePost
    form_class = RepresentativePostForm
    success_url = reverse_lazy("services:representativepost_list")


# ---------------------------------------------------------------- hometown projects


class HometownProjectListView(ScopedListView):
    model = HometownProject
    filterset_class = HometownProjectFilter
    table_class = HometownProjectTable
    select_related = ("organization",)
    page_title = gettext_lazy("Hometown projects")


class HometownProjectDetailView(ScopedQuerysetMixin, DetailView):
    model = HometownProject

    def get_queryset(self) -> Any:
        # Only the linked members the user may see are shown, like everywhere else.
        visible = Member.objects.visible_to(self.request.user).select_related("home_branch")
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related(Prefetch("members", queryset=visible, to_attr="visible_members"))
        )


class HometownProjectCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = HometownProject
    form_class = HometownProjectForm
    page_title = gettext_lazy("New hometown project")


class HometownProjectUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = HometownProject
    form_class = HometownProjectForm
