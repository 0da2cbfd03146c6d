"""The shared view mixins every app builds on, plus the home page, account management and the audit log."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from lanshan_party import audit, dashboard, security
from lanshan_party.filters import AuditEntryFilter, UserFilter, restrict
from lanshan_party.forms import LoginForm, StaleEditMixin, UserCreateForm, UserUpdateForm
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.models import AuditEntry, Notification, User
from lanshan_party.rights import Right, has_right
from lanshan_party.tables import AuditEntryTable, UserTable


class RoleRequiredMixin:
    """Pages that need a right (lanshan_party.rights: user management, the audit log, organization editing …).
    Objects outside the user's scope are 404 through visible_to; this guards whole pages."""

    required_right: Right | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.required_right is not None and not has_right(request.user, self.required_right):
            raise PermissionDenied(_("Your role does not include this page."))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ScopedQuerysetMixin:
    """Every object a view reaches comes from `Model.objects.visible_to(user)`: outside it is a 404."""

    model: type[models.Model]
    # Whose scope: the signed-in user, or the user an export job runs for (a job has no request).
    scope_user: Any = None

    def get_queryset(self) -> models.QuerySet:
        user = self.scope_user or self.request.user  # type: ignore[attr-defined]
        return self.model._default_manager.visible_to(user)  # type: ignore[attr-defined]


class ScopedFormMixin:
    """Passes the user to the form, and cuts every dropdown of objects down to what the user may see (the form may
    narrow its choices further: organizations of our own tree, active ones …), so a new form cannot forget it."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user  # type: ignore[attr-defined]
        return kwargs

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and isinstance(field.queryset, models.QuerySet):
                choices = restrict(field.queryset, self.request.user)  # type: ignore[attr-defined]
                # What the record holds now stays a choice: a flowing secretary edits a member whose home branch is
                # in a township they do not see, and must be able to keep it.
                instance = getattr(form, "instance", None)
                stored = (
                    model_to_dict(instance, fields=[name]).get(name) if instance is not None and instance.pk else None
                )
                current = stored if isinstance(stored, list | tuple) else [stored] if stored else []
                if current:
                    ids = [getattr(value, "pk", value) for value in current]
                    choices = choices | field.queryset.filter(pk__in=ids)
                field.queryset = choices
        return form


def add_errors(form: Any, error: ValidationError) -> None:
    """A workflow's ValidationError on the form: at the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class WorkflowFormMixin:
    """A form page whose valid form runs a workflow (`perform`, e.g. an actions.py function). What the workflow refuses
    is shown on the form, in the same words, and nothing is saved; otherwise `succeeded` says so and moves on."""

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def succeeded(self, form: Any, result: Any) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        return self.succeeded(form, result)


def redirect_in_scope(request: HttpRequest, obj: Any, done: str, *, fallback: str) -> HttpResponse:
    """Where a workflow page goes once its step is recorded: back to the object's page while the user still sees it;
    when the step took it out of their scope (a flowing organization's secretary once the member has returned or
    been transferred), to their list saying so, rather than to a page that is now a 404."""
    if type(obj)._default_manager.visible_to(request.user).filter(pk=obj.pk).exists():
        messages.success(request, done)
        return redirect(obj)
    messages.success(
        request, _("%(done)s %(name)s is no longer on this organization's list.") % {"done": done, "name": obj}
    )
    return redirect(fallback)


class OutOfScope(Exception):
    """The saved object would no longer be visible to the user who saved it."""


def check_still_visible(view: Any) -> None:
    """After a save, the object must still be in the user's scope: a hand-made POST (or a form's own mistake) cannot
    move a record out of the user's subtree, where they could no longer see or correct it."""
    visible = view.model.objects.visible_to(view.request.user)
    if not visible.filter(pk=view.object.pk).exists():
        raise OutOfScope


class PageTitleMixin:
    """Views name their page once; templates show it as the heading and the window title."""

    page_title: Any = ""

    def get_page_title(self) -> Any:
        return self.page_title

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(page_title=self.get_page_title(), **kwargs)  # type: ignore[misc]


def save_or_check_again(view: Any, form: Any, save: Callable[[], HttpResponse]) -> HttpResponse:
    """Save in a savepoint. A unique value (an ID number) that another request saved between this form's checks and
    its save is an IntegrityError, not a 500: the form is checked again, now sees that row, and says so on its field."""
    try:
        with transaction.atomic():
            return save()
    except OutOfScope:
        if getattr(view, "object", None) is not None and view.object.pk:
            view.object = view.get_object()
        form.add_error(
            None,
            _(
                "This would put the record outside the organizations you look after, where you could no longer see it. "
                "Nothing was saved. Choose an organization of your own, or ask the county to make the change."
            ),
        )
        return view.form_invalid(form)
    except IntegrityError:
        if getattr(view, "object", None) is not None and view.object.pk:
            view.object = view.get_object()  # the failed save changed the instance in memory
        again = view.get_form()
        if again.is_valid():
            raise
        return view.form_invalid(again)


class AuditedCreateView(PageTitleMixin, ScopedFormMixin, CreateView):
    request: AuthenticatedHttpRequest
    success_message = gettext_lazy("Saved “%(object)s”.")

    @transaction.atomic  # the change and its audit entry are written together or not at all
    def form_valid(self, form: Any) -> HttpResponse:
        def save() -> HttpResponse:
            response = super(AuditedCreateView, self).form_valid(form)
            assert self.object is not None  # form_valid has just saved it
            check_still_visible(self)
            audit.record_create(self.object, actor=self.request.user)
            messages.success(self.request, self.success_message % {"object": self.object})
            return response

        return save_or_check_again(self, form, save)


class AuditedUpdateView(PageTitleMixin, ScopedFormMixin, ScopedQuerysetMixin, UpdateView):
    request: AuthenticatedHttpRequest
    success_message = gettext_lazy("Saved “%(object)s”.")

    def get_page_title(self) -> Any:
        return _("Edit “%(object)s”") % {"object": self.object}

    @transaction.atomic
    def form_valid(self, form: forms.ModelForm) -> HttpResponse:
        before = audit.snapshot(self.model._default_manager.get(pk=self.object.pk))
        if isinstance(form, StaleEditMixin) and not form.claim_version():
            return self.form_invalid(form)

        def save() -> HttpResponse:
            response = super(AuditedUpdateView, self).form_valid(form)
            check_still_visible(self)
            audit.record_update(self.object, before, actor=self.request.user)
            messages.success(self.request, self.success_message % {"object": self.object})
            return response

        return save_or_check_again(self, form, save)


MAX_PER_PAGE = 200


class BoundedPaginator(Paginator):
    """Pages of 1 to MAX_PER_PAGE rows whatever ?per_page= says: 100000 rendered the whole county in one page, and
    a negative number made a negative page count that django-tables2 could not turn into any page (a 500)."""

    def __init__(self, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class ScopedListView(PageTitleMixin, ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A list page is a declaration: model, filterset_class, table_class (and select_related)."""

    # The table paginates (one COUNT); the view itself must not paginate the same rows again.
    table_pagination = {"per_page": 50}
    template_name_suffix = "_list"
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_table_pagination(self, table: Any) -> dict[str, Any]:
        return {**super().get_table_pagination(table), "paginator_class": BoundedPaginator}

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_template_names(self) -> list[str]:
        if self.request.htmx and not self.request.htmx.boosted:
            return ["includes/table_partial.html"]
        return super().get_template_names()


class HomeView(TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(dashboard.home(self.request.user))
        return context


class DashboardView(PageTitleMixin, TemplateView):
    """Charts of what the user may see, each with its numbers as a table, for the year chosen."""

    request: AuthenticatedHttpRequest
    template_name = "dashboard.html"
    page_title = gettext_lazy("Dashboard")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        this_year = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        year = min(max(year, this_year - 10), this_year)
        context = super().get_context_data(**kwargs)
        context["figures"] = dashboard.figures(self.request.user, year)
        context["years"] = range(this_year, this_year - 6, -1)
        return context


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class UserListView(RoleRequiredMixin, ScopedListView):
    required_right = Right.MANAGE_USERS
    model = User
    filterset_class = UserFilter
    table_class = UserTable
    select_related = ("organization",)
    page_title = gettext_lazy("Users")
    template_name = "lanshan_party/user_list.html"

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"locked": security.locked_out_usernames()}


class UserUnlockView(View):
    """Lift a user's sign-in lockout (POST from the user list). Accounts are visible to administrators only, so for
    everybody else the user does not exist here: 404."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
        security.do_unlock(user, by=request.user)
        messages.success(request, _("%(user)s is unlocked and can sign in again.") % {"user": user.username})
        return redirect("accounts:user_list")


class UserCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.MANAGE_USERS
    model = User
    form_class = UserCreateForm
    page_title = gettext_lazy("New user")
    template_name = "lanshan_party/user_form.html"
    success_url = reverse_lazy("accounts:user_list")


class UserUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.MANAGE_USERS
    model = User
    form_class = UserUpdateForm
    template_name = "lanshan_party/user_form.html"
    success_url = reverse_lazy("accounts:user_list")


class AuditLogView(RoleRequiredMixin, ScopedListView):
    required_right = Right.READ_AUDIT_LOG
    model = AuditEntry
    filterset_class = AuditEntryFilter
    table_class = AuditEntryTable
    page_title = gettext_lazy("Audit log")
    template_name = "lanshan_party/auditentry_list.html"


class NotificationListView(PageTitleMixin, ListView):
    """The in-app inbox: the user's own reminders, newest first, unread ones marked."""

    request: AuthenticatedHttpRequest
    template_name = "lanshan_party/notification_list.html"
    paginate_by = 30
    page_title = gettext_lazy("Reminders")

    def get_queryset(self) -> models.QuerySet:
        return Notification.objects.visible_to(self.request.user).inbox().order_by("-sent_at", "-id")


class NotificationOpenView(View):
    """Mark one reminder read and go where it points."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(Notification.objects.visible_to(request.user).inbox(), pk=pk)
        if notification.read_at is None:
            Notification.objects.filter(pk=pk).update(read_at=timezone.now())
        target = notification.link
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            target = reverse("notification_list")
        return redirect(target)


class NotificationReadAllView(View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
        return redirect("notification_list")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form (expired session or CSRF token): explain and send the user back, nothing is saved."""
    return render(request, "403_csrf.html", status=403)
