"""Forms for a member's dues standard (with its live calculator), a payment, and a reduction or exemption."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dues import rates
from dues.actions import payment_places
from dues.models import BACK_PAY_MONTHS, DuesRelief, DuesStandard, PaidBy, ReliefKind, month_label, period_of
from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from members.models import Member
from organizations.forms import DateInput

MONTHS = [(month, str(month)) for month in range(1, 13)]
MONEY_INPUT = {"inputmode": "decimal", "step": "0.01", "min": "0"}


class DuesStandardForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    """The standard, with the amount by the rates shown as the income is typed (dues/static/dues/calculator.js) and
    computed again here on save."""

    rows = (("year", "basis"), ("monthly_income",), ("manual_amount", "manual_reason"))

    class Meta:
        model = DuesStandard
        fields = ["year", "basis", "monthly_income", "manual_amount", "manual_reason"]
        widgets = {
            "monthly_income": forms.NumberInput(attrs={**MONEY_INPUT, "data-dues-income": "true"}),
            "manual_amount": forms.NumberInput(attrs=MONEY_INPUT),
            "basis": forms.Select(attrs={"data-dues-basis": "true"}),
        }
        error_messages = {
            "year": {"required": gettext_lazy("Give the year the standard is for, e.g. 2026.")},
            "basis": {"required": gettext_lazy("Choose what the dues are computed from.")},
        }

    def __init__(self, *args: Any, user: User, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.instance.member = member
        if not self.instance.pk:
            self.initial.setdefault("year", None)
            self.initial["year"] = self.initial["year"] or timezone.localdate().year
        else:
            self.fields["year"].disabled = True
        self.fields["monthly_income"].help_text = _(
            "On the job: monthly pay after tax; retired: monthly pension. Other bases pay a fixed amount."
        )
        self.fields["manual_amount"].help_text = _("Only when the branch sets another amount, with its reason.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("basis") not in rates.INCOME_BASES:
            cleaned["monthly_income"] = None
            self.instance.monthly_income = None
        return cleaned


def payable_months(today: datetime.date) -> list[tuple[str, str]]:
    """The months a payment made today may cover: back to BACK_PAY_MONTHS before this month, ahead to December."""
    now = period_of(today.year, today.month)
    choices = []
    for period in range(now - BACK_PAY_MONTHS, period_of(today.year, 12) + 1):
        year, month = divmod(period, 12)
        label = month_label(year, month + 1)
        choices.append((label, label))
    return choices


def parse_month(text: str) -> tuple[int, int] | None:
    """ "2026-03", "2026-3", "2026/03", "2026.03" or "2026年3月" as (2026, 3); None if it is not a month."""
    cleaned = str(text).strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = cleaned.split("-")
    if len(parts) != 2 or not all(part.strip().isdigit() for part in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        return None
    return year, month


class PaymentForm(CrispyFormMixin, forms.Form):
    months = forms.MultipleChoiceField(
        label=gettext_lazy("months paid"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one month this payment is for.")},
    )
    paid_on = forms.DateField(
        label=gettext_lazy("paid on"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Give the date of payment."),
            "invalid": gettext_lazy("Give the date as 2026-03-01."),
        },
    )
    amount = forms.DecimalField(
        label=gettext_lazy("amount (yuan)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs=MONEY_INPUT),
        help_text=gettext_lazy("Leave empty for exactly the dues of the months ticked; more may be paid, not less."),
        error_messages={"invalid": gettext_lazy("Give the amount in yuan, e.g. 15.50.")},
    )
    paid_at = forms.TypedChoiceField(label=gettext_lazy("paid at"), coerce=int)
    paid_by = forms.ChoiceField(label=gettext_lazy("paid by"), choices=PaidBy.choices, initial=PaidBy.SELF)
    proxy_name = forms.CharField(label=gettext_lazy("name of who paid on their behalf"), required=False, max_length=50)
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=200)

    rows = (("months",), ("paid_on", "amount"), ("paid_at",), ("paid_by", "proxy_name"), ("note",))
    # Reused by the ledger import to read a row's months.
    parse_month = staticmethod(parse_month)

    def __init__(self, *args: Any, member: Member, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        today = today or timezone.localdate()
        self.fields["months"].choices = payable_months(today)
        self.fields["paid_on"].initial = today
        self.places = {org.pk: org for org in payment_places(member)}
        self.fields["paid_at"].choices = [(pk, org.name) for pk, org in self.places.items()]
        self.fields["paid_at"].error_messages["invalid_choice"] = _(
            "Dues are paid at the home branch, or at the flowing organization at the destination by a member "
            "holding an activity certificate. Choose one of those."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["month_list"] = [parse_month(text) for text in cleaned.get("months", [])]
        cleaned["paid_at_org"] = self.places.get(cleaned.get("paid_at"))
        return cleaned


class ReliefForm(CrispyFormMixin, forms.ModelForm):
    rows = (("kind", "year"), ("from_month", "to_month"), ("reduced_amount",), ("reason",))
    submit_label = gettext_lazy("Ask for approval")

    class Meta:
        model = DuesRelief
        fields = ["kind", "year", "from_month", "to_month", "reduced_amount", "reason"]
        widgets = {
            "from_month": forms.Select(choices=MONTHS),
            "to_month": forms.Select(choices=MONTHS),
            "reduced_amount": forms.NumberInput(attrs=MONEY_INPUT),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "reason": {
                "required": gettext_lazy("Give the reason, e.g. serious illness or hardship, as the branch found.")
            },
            "kind": {"required": gettext_lazy("Choose a reduction or an exemption.")},
        }

    def __init__(self, *args: Any, user: User, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.member = member
        self.initial["year"] = self.initial.get("year") or timezone.localdate().year
        self.initial["kind"] = self.initial.get("kind") or ReliefKind.EXEMPT


class DecisionForm(CrispyFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose to approve or to refuse.")},
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=200)
    submit_label = gettext_lazy("Record the decision")
