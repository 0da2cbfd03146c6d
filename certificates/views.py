"""Certificate pages: the register (on screen and printable), one certificate, and its steps (issue, check,
hand-back, void). Every certificate comes from `Certificate.objects.visible_to(user)`: outside it is a 404; so is
every page for a role that keeps no certificates (a destination partner)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from certificates import actions
from certificates.filters import CertificateFilter
from certificates.forms import CheckForm, HandBackForm, IssueForm, VoidForm
from certificates.models import Certificate, CertificateCheck
from certificates.tables import CertificateTable
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.models import Role
from lanshan_party.rights import Right, has_right
from lanshan_party.views import PageTitleMixin, ScopedListView, WorkflowFormMixin, redirect_in_scope
from members.models import Outflow

# The printable register lists at most this many rows; a bigger selection is narrowed with the filters first.
PRINT_LIMIT = 2000
REGISTER_RELATED = ("member", "home_branch", "flowing_org", "township", "outflow")


def describe(filterset: CertificateFilter) -> list[tuple[str, str]]:
    """The filters in force, as the printed register's subtitle says them: [(label, value)]."""
    form = filterset.form
    if not form.is_valid():
        return []
    described = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", ()))
        shown = choices.get(value, choices.get(str(value), value)) if choices and not hasattr(value, "pk") else value
        described.append((str(field.label), str(shown)))
    return described


class CertificatePagesMixin:
    """Certificates are kept by the county, townships and secretaries; for anybody else the pages do not exist."""

    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_CERTIFICATES):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class CertificateListView(CertificatePagesMixin, ScopedListView):
    model = Certificate
    filterset_class = CertificateFilter
    table_class = CertificateTable
    select_related = ("member", "home_branch", "township")
    page_title = gettext_lazy("Activity certificate register")


class CertificatePrintView(CertificatePagesMixin, PageTitleMixin, TemplateView):
    """The register as the paper one is kept: A4 landscape, one row per certificate with its checks."""

    template_name = "certificates/certificate_print.html"
    page_title = gettext_lazy("Activity certificate register")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        certificates = (
            Certificate.objects.visible_to(self.request.user)
            .select_related(*REGISTER_RELATED)
            .prefetch_related(Prefetch("checks", CertificateCheck.objects.order_by("checked_on")))
            .order_by("township__path", "year", "sequence", "number")
        )
        filterset = CertificateFilter(self.request.GET or None, queryset=certificates, request=self.request)
        rows = list(filterset.qs[: PRINT_LIMIT + 1])
        context.update(
            filter=filterset,
            described=describe(filterset),
            rows=rows[:PRINT_LIMIT],
            cut=len(rows) > PRINT_LIMIT,
            limit=PRINT_LIMIT,
            scope=self.request.user.organization if self.request.user.scope_path is not None else None,
        )
        return context


class CertificateDetailView(CertificatePagesMixin, DetailView):
    model = Certificate

    def get_queryset(self) -> Any:
        return (
            Certificate.objects.visible_to(self.request.user)
            .select_related(*REGISTER_RELATED, "issued_by", "handed_back_to", "voided_by")
            .prefetch_related(Prefetch("checks", CertificateCheck.objects.select_related("by").order_by("checked_on")))
        )


class StepView(CertificatePagesMixin, WorkflowFormMixin, PageTitleMixin, FormView):
    """One step of a certificate, recorded through its function in certificates.actions."""

    template_name = "certificates/certificate_step.html"
    required_right = Right.KEEP_CERTIFICATES
    done: Any = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if has_right(request.user, Right.KEEP_CERTIFICATES):
            self.certificate = self.get_certificate()
            if not has_right(request.user, self.required_right):
                raise PermissionDenied(_("Your role does not include this page."))
        return super().dispatch(request, *args, **kwargs)

    def get_certificate(self) -> Certificate:
        return get_object_or_404(
            Certificate.objects.visible_to(self.request.user).select_related("member"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(certificate=self.certificate, **kwargs)

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        return redirect_in_scope(
            self.request, self.certificate, str(self.done), fallback=reverse("certificates:certificate_list")
        )


class CertificateCheckView(StepView):
    form_class = CheckForm
    done = gettext_lazy("The check is recorded.")

    def get_page_title(self) -> Any:
        return _("Yearly check of certificate %(number)s") % {"number": self.certificate.number}

    def perform(self, form: CheckForm) -> Any:
        data = form.cleaned_data
        return actions.record_check(
            self.certificate, by=self.request.user, on=data["on"], kind=data["kind"], note=data["note"]
        )


class CertificateHandBackView(StepView):
    form_class = HandBackForm
    done = gettext_lazy("The hand-back is recorded.")

    def get_page_title(self) -> Any:
        return _("Hand-back of certificate %(number)s") % {"number": self.certificate.number}

    def perform(self, form: HandBackForm) -> Any:
        data = form.cleaned_data
        return actions.hand_back(
            self.certificate, by=self.request.user, on=data["on"], condition=data["condition"], note=data["note"]
        )


class CertificateVoidView(StepView):
    form_class = VoidForm
    required_right = Right.ISSUE_CERTIFICATES
    done = gettext_lazy("The certificate is void.")

    def get_page_title(self) -> Any:
        return _("Void certificate %(number)s") % {"number": self.certificate.number}

    def perform(self, form: VoidForm) -> Any:
        data = form.cleaned_data
        return actions.void_certificate(
            self.certificate, by=self.request.user, on=data["on"], reason=data["reason"], note=data["note"]
        )


class CertificateIssueView(StepView):
    """Issue a certificate for a member's open outflow. A township's staff issue for their own township's members
    only: a member of another township (seen because away under one of its flowing organizations) is a 404 here."""

    form_class = IssueForm
    required_right = Right.ISSUE_CERTIFICATES
    done = gettext_lazy("The certificate is issued.")

    def get_certificate(self) -> Any:
        outflows = Outflow.objects.visible_to(self.request.user).open().select_related("member__home_branch")
        if self.request.user.role == Role.TOWNSHIP:
            outflows = outflows.filter(member__home_branch__path__startswith=self.request.user.scope_path)
        self.outflow = get_object_or_404(outflows, pk=self.kwargs["outflow_pk"])
        return None  # type: ignore[return-value]

    def get_page_title(self) -> Any:
        return _("Activity certificate for %(name)s") % {"name": self.outflow.member.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(outflow=self.outflow, **kwargs)

    def perform(self, form: IssueForm) -> Any:
        data = form.cleaned_data
        self.certificate = actions.issue_certificate(
            self.outflow, by=self.request.user, issued_on=data["on"], note=data["note"]
        )
        return self.certificate

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        self.done = _("Certificate %(number)s is issued.") % {"number": result.number}
        return super().succeeded(form, result)
