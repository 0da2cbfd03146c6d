"""Forms of a transfer: out (from a member on our roll), in (a member arriving with a letter), a step, the receipt."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.personal_data import (
    id_birth_date,
    id_gender,
    mask_id_number,
    mask_phone,
    normalize_phone,
    validate_id_number,
)
from members.models import Member, Standing
from members.widgets import use_member_picker
from organizations.forms import DateInput
from organizations.models import PROVINCE_CHOICES, Organization
from transfers.models import Direction, StepKind, Transfer, max_valid_days


class MonthField(forms.DateField):
    """A month (党费交至 2026年5月), typed as 2026-05 and kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": gettext_lazy("Enter a month as year-month, e.g. 2026-05.")}

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


OTHER_END_ROWS = (
    ("other_org",),
    ("other_province", "other_city"),
    ("contact", "contact_phone"),
    ("dues_paid_until", "valid_days"),
    ("reason",),
)


class TransferFormBase(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    dues_paid_until = MonthField(label=gettext_lazy("dues paid up to (month)"))
    other_province = forms.ChoiceField(label=gettext_lazy("its province"), choices=PROVINCE_CHOICES)
    contact_phone = forms.CharField(label=gettext_lazy("contact phone"), max_length=30, required=False)
    note = forms.CharField(
        label=gettext_lazy("note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit = max_valid_days()
        self.fields["valid_days"].help_text = _("At most 3 months: %(max)d days from today.") % {"max": limit}
        self.fields["other_org"].error_messages["required"] = _("Name the organization at the other end.")
        self.fields["reason"].error_messages["required"] = _("Say why the relationship is transferred.")
        self.fields["dues_paid_until"].error_messages["required"] = _("Enter the month up to which dues are paid.")
        if self.instance.pk:
            self.initial["contact_phone"] = ""
            self.fields["contact_phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(self.instance.contact_phone) or "—"
            }

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "")
        if self.instance.pk and not raw.strip():
            return self.instance.contact_phone
        return normalize_phone(raw)

    def clean_valid_days(self) -> int:
        days = self.cleaned_data["valid_days"]
        limit = max_valid_days()
        if days is None or not 1 <= days <= limit:
            raise forms.ValidationError(
                _("An introduction letter is valid for 1 to %(max)d days (3 months at most). Enter a shorter validity.")
                % {"max": limit}
            )
        return days

    def transfer_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


OTHER_END = ["other_org", "other_province", "other_city", "contact", "contact_phone", "dues_paid_until", "valid_days"]


class TransferOutForm(TransferFormBase):
    """Start (or edit) a transfer out of the county: the member and where their relationship goes."""

    rows = (("member",), *OTHER_END_ROWS, ("note",))
    member = forms.ModelChoiceField(label=gettext_lazy("member"), queryset=Member.objects.none())

    class Meta:
        model = Transfer
        fields = [*OTHER_END, "reason"]
        labels = {
            "other_org": gettext_lazy("destination organization"),
            "reason": gettext_lazy("reason for the transfer"),
        }
        widgets = {"reason": forms.TextInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            del self.fields["member"]
            return
        # Members of the user's own branches, on the roll: a flowing organization's secretary, who sees members
        # away under it, does not hold their relationship.
        branches = Organization.objects.visible_to(user).home_branches()
        self.fields["member"].queryset = Member.objects.visible_to(user).filter(
            home_branch__in=branches, standing=Standing.NORMAL
        )
        self.fields["member"].error_messages["required"] = _("Find and choose the member whose relationship goes.")
        self.fields["member"].error_messages["invalid_choice"] = _(
            "This member is not on the roll of a branch you look after. Find the member by name again."
        )
        use_member_picker(self.fields["member"])


class TransferInForm(TransferFormBase):
    """Record (or edit) a member arriving with a letter from elsewhere, for the branch that receives them."""

    rows = (
        ("home_branch",),
        ("name", "id_number"),
        ("gender", "birth_date", "ethnicity"),
        ("phone", "category", "joined_on"),
        ("incoming_letter_number",),
        *OTHER_END_ROWS,
        ("note",),
    )
    id_number = forms.CharField(label=gettext_lazy("citizen ID number"), max_length=40)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)

    class Meta:
        model = Transfer
        fields = [
            "home_branch",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "phone",
            "category",
            "joined_on",
            "incoming_letter_number",
            *OTHER_END,
            "reason",
        ]
        labels = {
            "other_org": gettext_lazy("organization the letter comes from"),
            "home_branch": gettext_lazy("receiving branch"),
        }
        widgets = {"birth_date": DateInput(), "joined_on": DateInput(), "reason": forms.TextInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["home_branch"].queryset = Organization.objects.visible_to(user).home_branches().active()
        self.fields["home_branch"].error_messages["required"] = _("Choose the branch that receives the member.")
        self.fields["name"].error_messages["required"] = _("Enter the member's name.")
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["gender"].help_text = _("Leave empty to take it from the ID number.")
        self.fields["birth_date"].help_text = _("Leave empty to take it from the ID number.")
        if self.instance.pk:
            self.initial["id_number"] = ""
            self.initial["phone"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_id_number(self.instance.id_number)
            }

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if self.instance.pk and not raw.strip():
            return self.instance.id_number
        return validate_id_number(raw)

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if self.instance.pk and not raw.strip():
            return self.instance.phone
        return normalize_phone(raw)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number and len(number) == 18:
            if not cleaned.get("gender"):
                cleaned["gender"] = self.instance.gender = id_gender(number)
            if not cleaned.get("birth_date"):
                cleaned["birth_date"] = self.instance.birth_date = id_birth_date(number)
        return cleaned


def form_class_for(direction: str) -> type[TransferFormBase]:
    return TransferOutForm if direction == Direction.OUT else TransferInForm


class StepForm(CrispyFormMixin, forms.Form):
    """One approval step: a note, required when the transfer is returned for editing."""

    note = forms.CharField(
        label=gettext_lazy("note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        self.submit_label = StepKind(step).label
        super().__init__(*args, **kwargs)
        if step == StepKind.RETURN:
            self.fields["note"].required = True
            self.fields["note"].label = _("What the branch should change")
            self.fields["note"].error_messages["required"] = _(
                "Say what the branch should change before it submits again."
            )


class ReceiptForm(CrispyFormMixin, forms.Form):
    """The receipt (回执) of the letter came back from the receiving organization."""

    submit_label = gettext_lazy("Record the receipt")
    on = forms.DateField(label=gettext_lazy("receipt returned on"), widget=DateInput())
    receiving_org = forms.CharField(label=gettext_lazy("receiving organization"), max_length=120)
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=500)

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future. Record a receipt that has come back."))
        return day


class PrintRevealForm(CrispyFormMixin, forms.Form):
    """Print the letter with the full ID number: the reason is written to the audit log."""

    submit_label = gettext_lazy("Print with the full ID number")
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        min_length=4,
        max_length=200,
        error_messages={
            "required": gettext_lazy("Say why you print the full ID number (at least 4 characters)."),
            "min_length": gettext_lazy("Say why you print the full ID number (at least 4 characters)."),
        },
    )
