"""Django admin for administrators: accounts, and the audit log read-only."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from lanshan_party import audit
from lanshan_party.forms import AdminLoginForm
from lanshan_party.models import AuditAction, AuditEntry, User

# An over-long username is refused by the form before django-axes would write it (see bound_username_length).
admin.site.login_form = AdminLoginForm


def _admin(request: HttpRequest) -> User:
    """The user of an admin page: signed in, since the admin lets nobody else past has_permission (below)."""
    assert isinstance(request.user, User)
    return request.user


class AuditedModelAdmin(admin.ModelAdmin):
    """Changes made in the Django admin reach the same audit log as the application's own pages."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            audit.record_create(obj, actor=_admin(request), note="admin")
        else:
            audit.record_update(obj, before, actor=_admin(request), note="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            AuditAction.DELETE,
            actor=_admin(request),
            obj=obj,
            changes=audit.diff(audit.snapshot(obj), {}),
            note="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit.record(
                AuditAction.DELETE,
                actor=_admin(request),
                obj=obj,
                changes=audit.diff(audit.snapshot(obj), {}),
                note="admin",
            )
        super().delete_queryset(request, queryset)


@admin.register(User)
class LanshanUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "full_name", "role", "organization", "may_reveal", "is_active"]
    list_filter = ["role", "is_active", "may_reveal"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("蓝山", {"fields": ["full_name", "role", "organization", "may_reveal"]}),
    )
    autocomplete_fields = ["organization"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.site_header = "蓝山县流动党员管理平台 · 后台"


def _admins_only(request: HttpRequest) -> bool:
    # The Django admin is for administrators only; everyone else uses the application's own pages.
    user = request.user
    return user.is_active and user.is_staff and getattr(user, "is_administrator", False)


admin.site.has_permission = _admins_only  # type: ignore[method-assign]
