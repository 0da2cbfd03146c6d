from django.contrib import admin
from django.http import HttpRequest

from api.models import ApiToken
from lanshan_party.admin import AuditedModelAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Read the tokens (never their value: only a hash is stored); revoking goes through the tokens page."""

    list_display = ["name", "prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    exclude = ["token_hash", "submission"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
