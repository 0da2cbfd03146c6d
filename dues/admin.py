from django.contrib import admin

from dues.models import DuesMonth, DuesPayment, DuesRelief, DuesStandard


@admin.register(DuesStandard)
class DuesStandardAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "basis", "computed_amount", "manual_amount", "confirmed_at"]
    list_filter = ["year", "basis"]
    raw_id_fields = ["member"]


class DuesMonthInline(admin.TabularInline):
    model = DuesMonth
    extra = 0
    fields = ["year", "month", "amount"]
    readonly_fields = fields


@admin.register(DuesPayment)
class DuesPaymentAdmin(admin.ModelAdmin):
    list_display = ["member", "paid_on", "amount", "paid_at", "paid_by"]
    raw_id_fields = ["member"]
    inlines = [DuesMonthInline]


@admin.register(DuesRelief)
class DuesReliefAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "year", "from_month", "to_month", "status", "approver"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["member"]
