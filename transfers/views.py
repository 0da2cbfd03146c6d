"""Transfer pages: the list and the to-do box, a transfer with its history, starting and editing one, its approval
steps, the receipt, and the printable three-part letter."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from lanshan_party import audit
from lanshan_party.models import AuditAction
from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
    WorkflowFormMixin,
)
from transfers import actions
from transfers.filters import TransferFilter
from transfers.forms import (
    PrintRevealForm,
    ReceiptForm,
    StepForm,
    TransferInForm,
    TransferOutForm,
    form_class_for,
)
from transfers.models import EDITABLE_STATUSES, StepKind, Transfer, TransferStatus
from transfers.tables import TransferTable


class OurSideMixin:
    """Transfers are our organizations' business: for a destination partner's account these pages do not exist."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_MEMBER_RECORDS):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class TransferListView(OurSideMixin, ScopedListView):
    model = Transfer
    filterset_class = TransferFilter
    table_class = TransferTable
    select_related = ("home_branch",)
    page_title = gettext_lazy("Transfers of the organizational relationship")


class TransferBoxView(TransferListView):
    """The to-do box (待办 / 未办结 / 超时): one tab each, with its count."""

    template_name = "transfers/transfer_box.html"
    page_title = gettext_lazy("Transfer to-do box")

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = (kwargs.get("data") or self.request.GET).copy()
        if not data.get("box"):
            data["box"] = "todo"
        kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = Transfer.objects.box_counts(self.request.user)
        context["box"] = self.filterset.form.cleaned_data.get("box") if self.filterset.form.is_valid() else "todo"
        return context


class TransferDetailView(OurSideMixin, ScopedQuerysetMixin, DetailView):
    model = Transfer

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("home_branch", "member", "started_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        transfer = self.object
        user = self.request.user
        context["steps"] = transfer.steps.select_related("by")
        context["allowed"] = set(actions.allowed_steps(user, transfer))
        context["may_edit"] = transfer.status in EDITABLE_STATUSES and has_right(user, Right.START_TRANSFERS)
        context["reveal_form"] = PrintRevealForm()
        return context


class TransferStartMixin(OurSideMixin, RoleRequiredMixin, WorkflowFormMixin, PageTitleMixin, FormView):
    required_right = Right.START_TRANSFERS
    template_name = "transfers/transfer_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": Transfer()}

    def get_initial(self) -> dict[str, Any]:
        from transfers.models import default_valid_days

        return {"valid_days": default_valid_days()}

    def succeeded(self, form: Any, result: Transfer) -> HttpResponse:
        messages.success(
            self.request,
            _("The transfer of %(name)s is saved as a draft. Submit it to the township when ready.")
            % {"name": result.name},
        )
        return redirect(result)


class TransferOutCreateView(TransferStartMixin):
    form_class = TransferOutForm
    page_title = gettext_lazy("New transfer out of the county")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        member = self.request.GET.get("member", "")
        if member.isdigit():
            initial["member"] = member
        return initial

    def perform(self, form: TransferOutForm) -> Transfer:
        return actions.start_transfer_out(
            form.cleaned_data["member"], by=self.request.user, note=form.cleaned_data["note"], **form.transfer_fields()
        )


class TransferInCreateView(TransferStartMixin):
    form_class = TransferInForm
    page_title = gettext_lazy("New transfer into one of our branches")

    def perform(self, form: TransferInForm) -> Transfer:
        return actions.start_transfer_in(by=self.request.user, note=form.cleaned_data["note"], **form.transfer_fields())


class TransferUpdateView(OurSideMixin, AuditedUpdateView):
    """Edit a draft, or a transfer the township or county returned: then submit it again."""

    model = Transfer
    template_name = "transfers/transfer_form.html"
    success_message = gettext_lazy("Saved “%(object)s”. Submit it again when it is ready.")

    def get_form_class(self) -> Any:
        return form_class_for(self.object.direction)

    def editable(self, request: HttpRequest) -> HttpResponse | None:
        """Outside the user's scope a 404 (get_object), then a role that does not edit transfers a 403, then a
        transfer already sent on goes back to its page saying so."""
        self.object = self.get_object()
        if not has_right(request.user, Right.START_TRANSFERS):
            raise PermissionDenied(_("Your role does not include this page."))
        if self.object.status not in EDITABLE_STATUSES:
            messages.warning(
                request,
                _("This transfer is “%(status)s” and can no longer be edited.")
                % {"status": self.object.get_status_display()},
            )
            return redirect(self.object)
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.editable(request) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.editable(request) or super().post(request, *args, **kwargs)

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302:
            actions.record_edit(self.object, by=self.request.user, note=form.cleaned_data.get("note", ""))
        return response


# What the buttons and the page say for each step in a URL.
STEP_SLUGS = {
    "submit": StepKind.SUBMIT,
    "approve": None,  # the township's or the county's, by where the transfer is
    "return": StepKind.RETURN,
    "withdraw": StepKind.WITHDRAW,
}


class TransferStepView(OurSideMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """One approval step: submit, approve (township or county), return for editing, withdraw."""

    model = Transfer
    form_class = StepForm
    template_name = "transfers/transfer_step.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.transfer = get_object_or_404(self.get_queryset().select_related("home_branch"), pk=kwargs["pk"])
        slug = kwargs["step"]
        if slug not in STEP_SLUGS:
            raise Http404
        self.step = STEP_SLUGS[slug] or (
            StepKind.COUNTY_APPROVE if self.transfer.status == TransferStatus.AT_COUNTY else StepKind.TOWNSHIP_APPROVE
        )
        if not actions.may_take(request.user, self.transfer, self.step):
            sources, right = actions.STEP_RULES[self.step]
            if self.transfer.status in sources:
                raise PermissionDenied(_("Your role does not take this step."))
            messages.warning(
                request,
                _("This transfer is now “%(status)s”, so “%(step)s” is not possible.")
                % {"status": self.transfer.get_status_display(), "step": StepKind(self.step).label},
            )
            return redirect(self.transfer)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "step": self.step}

    def get_page_title(self) -> str:
        return f"{StepKind(self.step).label} · {self.transfer.name}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(transfer=self.transfer, **kwargs)

    def perform(self, form: StepForm) -> Transfer:
        function = actions.approve if self.step in (StepKind.TOWNSHIP_APPROVE, StepKind.COUNTY_APPROVE) else None
        function = function or actions.STEPS[self.step]
        return function(self.transfer, by=self.request.user, note=form.cleaned_data["note"])

    def succeeded(self, form: StepForm, result: Transfer) -> HttpResponse:
        done = _("%(step)s: recorded.") % {"step": StepKind(self.step).label}
        if result.letter_code and self.step == StepKind.COUNTY_APPROVE:
            done = _("Approved. Introduction letter %(code)s is issued: print it.") % {"code": result.letter_code}
        messages.success(self.request, done)
        return redirect(result)


class TransferReceiptView(OurSideMixin, WorkflowFormMixin, PageTitleMixin, ScopedQuerysetMixin, FormView):
    """The receipt (回执) came back: the member leaves our roll."""

    model = Transfer
    form_class = ReceiptForm
    template_name = "transfers/transfer_step.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.transfer = get_object_or_404(self.get_queryset().select_related("home_branch"), pk=kwargs["pk"])
        if not has_right(request.user, Right.RECORD_TRANSFER_RECEIPTS):
            raise PermissionDenied(_("Your role does not take this step."))
        if not actions.may_take(request.user, self.transfer, StepKind.RECEIPT):
            messages.warning(request, _("This transfer has no letter awaiting its receipt."))
            return redirect(self.transfer)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate(), "receiving_org": self.transfer.other_org}

    def get_page_title(self) -> str:
        return _("Record the receipt · %(name)s") % {"name": self.transfer.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(transfer=self.transfer, **kwargs)

    def perform(self, form: ReceiptForm) -> Transfer:
        data = form.cleaned_data
        return actions.record_receipt(
            self.transfer, by=self.request.user, on=data["on"], receiving_org=data["receiving_org"], note=data["note"]
        )

    def succeeded(self, form: ReceiptForm, result: Transfer) -> HttpResponse:
        messages.success(
            self.request,
            _("Receipt recorded: %(name)s's relationship is transferred out and they are off the roll.")
            % {"name": result.name},
        )
        return redirect(result)


class TransferPrintView(OurSideMixin, ScopedQuerysetMixin, View):
    """The three-part letter on A4 (存根 / 介绍信 / 回执). The ID number is masked; a user who may reveal personal
    data prints it in full by giving a reason, written to the audit log as a reveal."""

    model = Transfer

    def letter(self, request: HttpRequest, pk: int) -> Transfer:
        transfer = get_object_or_404(self.get_queryset().select_related("home_branch", "member"), pk=pk)
        if transfer.letter_number is None:
            raise Http404
        return transfer

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.letter(request, pk)
        return self.render(request, transfer, full=False)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.letter(request, pk)
        if not request.user.may_reveal:
            raise PermissionDenied(_("You are not authorized to view full personal data."))
        form = PrintRevealForm(request.POST)
        if not form.is_valid():
            return self.render(request, transfer, full=False, form=form)
        audit.record(AuditAction.REVEAL, actor=request.user, obj=transfer, note=form.cleaned_data["reason"])
        return self.render(request, transfer, full=True)

    def render(self, request: HttpRequest, transfer: Transfer, *, full: bool, form: Any = None) -> HttpResponse:
        context = {
            "transfer": transfer,
            "id_number": transfer.id_number if full else transfer.masked_id_number,
            "full": full,
            "reveal_form": form or PrintRevealForm(),
            "parts": ("stub", "letter", "receipt"),
        }
        response = render(request, "transfers/transfer_print.html", context)
        if full:
            response["Cache-Control"] = "no-store"
        return response
