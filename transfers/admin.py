from django.contrib import admin

from transfers.models import LetterCounter, Transfer, TransferStep


class TransferStepInline(admin.TabularInline):
    model = TransferStep
    extra = 0
    readonly_fields = ("kind", "from_status", "to_status", "at", "by", "note")
    can_delete = False


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ("name", "direction", "status", "home_branch", "other_org", "letter_year", "letter_number")
    list_filter = ("direction", "status")
    search_fields = ("name", "other_org")
    exclude = ("id_number", "phone", "contact_phone")
    readonly_fields = ("letter_year", "letter_number", "issued_on", "valid_until", "receipt_on", "receipt_org")
    inlines = [TransferStepInline]


admin.site.register(LetterCounter)
