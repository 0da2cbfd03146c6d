"""Organization pages: the tree, one organization's page, create / edit / dissolve, stations, and the
dual-management agreements."""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from lanshan_party import uploads
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
)
from members.models import Member, Standing
from organizations import actions
from organizations.filters import AgreementFilter, OrganizationLedgerFilter
from organizations.forms import AgreementForm, DissolveForm, OrganizationForm, StationForm
from organizations.models import Agreement, Organization, Station
from organizations.tables import AgreementTable, OrganizationLedgerTable, status_badge


class OrganizationTreeView(ScopedQuerysetMixin, ListView):
    """The whole visible tree in one page. Member counts come from two grouped queries rolled up the
    tree in Python, so the page costs the same number of queries however many nodes it shows."""

    model = Organization
    template_name = "organizations/organization_tree.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().in_tree().order_by("path")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        nodes = list(context["object_list"])
        members = Member.objects.visible_to(user).filter(standing=Standing.NORMAL)  # on the roll
        home = members.count_by("home_branch")
        flowing = members.filter(flowing_org__isnull=False).count_by("flowing_org")
        by_id = {node.pk: node for node in nodes}
        top = min((node.depth for node in nodes), default=0)
        for node in nodes:
            node.indent = node.depth - top
            node.home_total = node.flowing_total = 0
        for node in nodes:
            # Roll each node's own counts up to itself and every visible ancestor.
            own_home, own_flowing = home.get(node.pk, 0), flowing.get(node.pk, 0)
            for pk in [*node.ancestor_ids, node.pk]:
                ancestor = by_id.get(pk)
                if ancestor is not None:
                    ancestor.home_total += own_home
                    ancestor.flowing_total += own_flowing
        context["nodes"] = nodes
        if user.sees_everything:
            context["partners"] = Organization.objects.partners().order_by("name")
        context["can_manage"] = has_right(user, Right.MANAGE_ORGANIZATIONS)
        return context


class OrganizationDetailView(ScopedQuerysetMixin, DetailView):
    model = Organization

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        context["children"] = Organization.objects.visible_to(user).filter(parent=org).order_by("path")
        members = (
            Member.objects.visible_to(user)
            .in_subtree(org.path)
            .filter(standing=Standing.NORMAL)  # on the roll: not those transferred out, deceased …
            .select_related("home_branch", "current_outflow")
        )
        context["member_count"] = members.count()
        context["members"] = members.order_by("name", "id")[:20]
        context["stations"] = org.stations.all()
        context["can_manage"] = has_right(user, Right.MANAGE_ORGANIZATIONS)
        context["ancestors"] = Organization.objects.visible_to(user).filter(pk__in=org.ancestor_ids).order_by("path")
        return context


class OrganizationCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_ORGANIZATIONS
    model = Organization
    form_class = OrganizationForm
    page_title = gettext_lazy("New organization")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        parent = self.request.GET.get("parent")
        if parent and parent.isdecimal():
            initial["parent"] = parent
        return initial


class OrganizationUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_ORGANIZATIONS
    model = Organization
    form_class = OrganizationForm


class OrganizationDissolveView(PageTitleMixin, RoleRequiredMixin, ScopedQuerysetMixin, FormView):
    required_right = Right.MANAGE_ORGANIZATIONS
    model = Organization
    form_class = DissolveForm
    template_name = "organizations/organization_dissolve.html"

    def get_page_title(self) -> str:
        return _("Dissolve “%(name)s”") % {"name": self.get_object()}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Organization:
        if self.object is None:
            self.object = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.get_object()
        context["object"] = org
        context["blockers"] = actions.dissolve_blockers(org)
        return context

    def form_valid(self, form: DissolveForm) -> HttpResponse:
        org = self.get_object()
        try:
            dissolved = actions.dissolve_organization(org, on=form.cleaned_data["dissolved_on"], by=self.request.user)
        except actions.DissolveRefused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
            return self.form_invalid(form)
        if dissolved:
            messages.success(self.request, _("“%(name)s” is dissolved.") % {"name": org})
        else:
            messages.info(self.request, _("“%(name)s” was already dissolved.") % {"name": org})
        return redirect(org)


class StationCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_ORGANIZATIONS
    model = Station
    form_class = StationForm
    page_title = gettext_lazy("New station")

    def get_initial(self) -> dict[str, Any]:
        return {"organization": self.request.GET.get("organization")}

    def get_success_url(self) -> str:
        return self.object.organization.get_absolute_url()


class StationUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_ORGANIZATIONS
    model = Station
    form_class = StationForm

    def get_success_url(self) -> str:
        return self.object.organization.get_absolute_url()


def _visible_covered(user: Any) -> Prefetch:
    """An agreement's covered organizations as the user may see them: a secretary does not learn the
    names of the other flowing organizations an agreement also covers."""
    return Prefetch("covered_organizations", queryset=Organization.objects.visible_to(user).order_by("path"))


class AgreementListView(ScopedListView):
    model = Agreement
    filterset_class = AgreementFilter
    table_class = AgreementTable
    page_title = gettext_lazy("Dual-management agreements")

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related(_visible_covered(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expiring_count"] = Agreement.objects.visible_to(self.request.user).expiring().count()
        context["can_manage"] = has_right(self.request.user, Right.MANAGE_AGREEMENTS)
        return context


class AgreementDetailView(ScopedQuerysetMixin, DetailView):
    model = Agreement

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("partner").prefetch_related(_visible_covered(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement, user = self.object, self.request.user
        context["covered"] = covered = list(agreement.covered_organizations.all())
        if not user.sees_everything:
            # Said as a number only: the other organizations' names stay outside the user's scope.
            total = Agreement.covered_organizations.through.objects.filter(agreement=agreement).count()
            context["covered_elsewhere"] = total - len(covered)
        context["status_badge"] = status_badge(agreement)
        context["can_manage"] = has_right(user, Right.MANAGE_AGREEMENTS)
        context["partner_visible"] = user.sees_organization(agreement.partner)
        return context


class AgreementCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_AGREEMENTS
    model = Agreement
    form_class = AgreementForm
    page_title = gettext_lazy("New agreement")


class AgreementUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_AGREEMENTS
    model = Agreement
    form_class = AgreementForm


class AgreementScanView(View):
    """The signed copy, to whoever may see the agreement; to anyone else it does not exist."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
        return uploads.serve(agreement.scan, f"{agreement.counterpart}-{agreement.valid_from:%Y%m%d}")


class OrganizationLedgerView(LedgerExportMixin, ScopedListView):
    model = Organization
    filterset_class = OrganizationLedgerFilter
    table_class = OrganizationLedgerTable
    select_related = ("parent",)
    ledger = "organizations"
    page_title = gettext_lazy("Organization ledger")
    template_name = "ledgers/organization_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().in_tree()
