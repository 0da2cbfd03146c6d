"""Pages of the year's duties: the training-hours shortfall, study records, committee seats, organizational life
compliance and organization terms. Destination partners have none of them (404)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, TemplateView

from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedFormMixin,
    ScopedListView,
    WorkflowFormMixin,
)
from members.models import Member, Standing
from organizations.models import Organization
from yearly import actions
from yearly.compliance import compliance, totals
from yearly.filters import (
    CommitteeMemberFilter,
    ShortfallFilter,
    StudyRecordFilter,
    TermFilter,
    chosen_year,
    year_choices,
)
from yearly.forms import CommitteeMemberForm, ComplianceForm, StudyRecordForm, TermForm, TermUpdateForm
from yearly.models import CommitteeMember, StudyRecord, Term
from yearly.tables import CommitteeMemberTable, ShortfallTable, StudyRecordTable, TermTable
from yearly.training import shortfall


class OurSideMixin:
    """The year's duties are our own organizations': a destination partner's account finds no such page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_MEMBER_RECORDS):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# ------------------------------------------------------------------------------------------- training hours


class ShortfallListView(OurSideMixin, ScopedListView):
    """Members below the year's training hours (学时不足), with what they have and what they miss."""

    model = Member
    filterset_class = ShortfallFilter
    table_class = ShortfallTable
    select_related = ("home_branch", "flowing_org")
    template_name = "yearly/shortfall_list.html"

    def get_page_title(self) -> Any:
        return _("Training hours below target in %(year)s") % {"year": self.year}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.year = chosen_year(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return shortfall(super().get_queryset(), self.year)

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs.get("data") is not None else {}
        data["year"] = str(self.year)
        kwargs["data"] = data
        return kwargs


class StudyRecordListView(OurSideMixin, ScopedListView):
    model = StudyRecord
    filterset_class = StudyRecordFilter
    table_class = StudyRecordTable
    select_related = ("member", "organization")
    page_title = gettext_lazy("Study records")


class MemberRecordCreateView(OurSideMixin, AuditedCreateView):
    """A new record about one member of the user's, opened from the member's page or the shortfall list."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_MEMBER_RECORDS):
            raise Http404
        self.member = get_object_or_404(
            Member.objects.visible_to(request.user).filter(standing=Standing.NORMAL), pk=kwargs["member_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(member=self.member)
        return kwargs

    def get_success_url(self) -> str:
        return self.member.get_absolute_url()


class StudyRecordCreateView(MemberRecordCreateView):
    model = StudyRecord
    form_class = StudyRecordForm
    template_name = "yearly/record_form.html"

    def get_page_title(self) -> Any:
        return _("Study of %(member)s") % {"member": self.member}

    def form_valid(self, form: StudyRecordForm) -> HttpResponse:
        form.instance.recorded_by = self.request.user
        return super().form_valid(form)


class StudyRecordUpdateView(OurSideMixin, AuditedUpdateView):
    model = StudyRecord
    form_class = StudyRecordForm
    template_name = "yearly/record_form.html"

    def get_success_url(self) -> str:
        return reverse("yearly:studyrecord_list")


# ------------------------------------------------------------------------------------------- committees


class CommitteeMemberListView(OurSideMixin, ScopedListView):
    model = CommitteeMember
    filterset_class = CommitteeMemberFilter
    table_class = CommitteeMemberTable
    select_related = ("member", "organization")
    page_title = gettext_lazy("Committee members")


class CommitteeMemberCreateView(MemberRecordCreateView):
    model = CommitteeMember
    form_class = CommitteeMemberForm
    template_name = "yearly/record_form.html"

    def get_page_title(self) -> Any:
        return _("Committee seat of %(member)s") % {"member": self.member}


class CommitteeMemberUpdateView(OurSideMixin, AuditedUpdateView):
    model = CommitteeMember
    form_class = CommitteeMemberForm
    template_name = "yearly/record_form.html"

    def get_success_url(self) -> str:
        return reverse("yearly:committeemember_list")


# ------------------------------------------------------------------------------------------- compliance


class ComplianceView(OurSideMixin, PageTitleMixin, TemplateView):
    """Organizational life compliance: expected meetings against those recorded, per organization and period."""

    template_name = "yearly/compliance.html"
    page_title = gettext_lazy("Organizational life compliance")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ComplianceForm(self.request.GET or None, user=user, years=year_choices())
        year, organizations, period = chosen_year(self.request.GET), Organization.objects.visible_to(user), "quarter"
        if form.is_valid():
            period = form.cleaned_data["period"] or period
            if form.cleaned_data["organization"] is not None:
                organizations = organizations.filter(path__startswith=form.cleaned_data["organization"].path)
        rows = compliance(organizations, year, timezone.localdate(), period)
        context.update(
            form=form,
            year=year,
            rows=rows,
            totals=totals(rows),
            columns=[label for label, _held, _expected in rows[0].periods] if rows else [],
        )
        return context


# ------------------------------------------------------------------------------------------- terms


class TermListView(OurSideMixin, ScopedListView):
    """Current terms, by default those expired or ending within 90 days (换届到期)."""

    model = Term
    filterset_class = TermFilter
    table_class = TermTable
    select_related = ("organization",)
    page_title = gettext_lazy("Organization terms")
    template_name = "yearly/term_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().current()

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs.get("data") is not None else {}
        if not data.get("due"):
            data["due"] = "due"
        kwargs["data"] = data
        return kwargs

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"may_record": has_right(self.request.user, Right.RECORD_TERMS)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_record"] = has_right(self.request.user, Right.RECORD_TERMS)
        context["without_term"] = (
            Organization.objects.visible_to(self.request.user)
            .active()
            .in_tree()
            .exclude(terms__is_current=True)
            .count()
        )
        return context


class TermCreateView(OurSideMixin, RoleRequiredMixin, WorkflowFormMixin, ScopedFormMixin, PageTitleMixin, CreateView):
    """Record an election: the organization's new term becomes the current one."""

    required_right = Right.RECORD_TERMS
    model = Term
    form_class = TermForm
    template_name = "yearly/record_form.html"
    page_title = gettext_lazy("Record an election (new term)")

    def get_initial(self) -> dict[str, Any]:
        return {"organization": self.request.GET.get("organization")}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # Checked as a new term beside the current one, which record_term then ends.
        kwargs["instance"] = Term(is_current=False)
        return kwargs

    def form_invalid(self, form: TermForm) -> HttpResponse:
        data = getattr(form, "cleaned_data", {})
        if data.get("organization") and data.get("started_on"):
            same = Term.objects.filter(organization=data["organization"], started_on=data["started_on"])
            if same.filter(is_current=True).exists():  # the same form posted twice: its unique check failed
                messages.info(self.request, _("This term was already recorded; it was not recorded twice."))
                return redirect(f"{reverse('yearly:term_list')}?due=all&organization={data['organization'].pk}")
        return super().form_invalid(form)

    def perform(self, form: TermForm) -> Term:
        data = form.cleaned_data
        return actions.record_term(
            data["organization"],
            started_on=data["started_on"],
            years=data["years"],
            extended_until=data["extended_until"],
            note=data["note"],
            by=self.request.user,
        )

    def succeeded(self, form: TermForm, result: Term) -> HttpResponse:
        messages.success(
            self.request,
            _("Recorded the term of %(organization)s: it ends on %(end)s.")
            % {"organization": result.organization, "end": f"{result.ends_on:%Y-%m-%d}"},
        )
        return redirect(f"{reverse('yearly:term_list')}?due=all&organization={result.organization_id}")


class TermUpdateView(OurSideMixin, RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.RECORD_TERMS
    model = Term
    form_class = TermUpdateForm
    template_name = "yearly/record_form.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().current().select_related("organization")

    def get_success_url(self) -> str:
        return f"{reverse('yearly:term_list')}?due=all&organization={self.object.organization_id}"
