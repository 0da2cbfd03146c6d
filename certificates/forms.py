"""The certificate forms: issue (from a member's open outflow), yearly check, hand-back and voiding."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import CheckKind, Condition, VoidReason
from lanshan_party.forms import CrispyFormMixin
from organizations.forms import DateInput

NOTE = forms.Textarea(attrs={"rows": 2, "maxlength": 200})


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date (year-month-day)."),
            "invalid": _("This is not a date. Enter it as year-month-day, e.g. 2026-03-01."),
        },
    )


class StepForm(CrispyFormMixin, forms.Form):
    """A dated step with a note; the date proposed is today."""

    note = forms.CharField(label=_("note"), required=False, max_length=200, widget=NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["note"].error_messages["max_length"] = _("Keep the note under 200 characters.")
        self.order_fields(["on", *[name for name in self.fields if name not in ("on", "note")], "note"])


class IssueForm(StepForm):
    submit_label = _("Issue the certificate")
    on = _date_field(_("issued on"))


class CheckForm(StepForm):
    submit_label = _("Record the check")
    on = _date_field(_("checked on"))
    kind = forms.ChoiceField(
        label=_("kind of check"),
        choices=CheckKind.choices,
        initial=CheckKind.YEARLY,
        error_messages={
            "required": _("Choose a yearly check or an inspection."),
            "invalid_choice": _("Choose a yearly check or an inspection."),
        },
    )


class HandBackForm(StepForm):
    submit_label = _("Record the hand-back")
    on = _date_field(_("handed back on"))
    condition = forms.ChoiceField(
        label=_("condition"),
        choices=Condition.choices,
        initial=Condition.INTACT,
        error_messages={
            "required": _("Say in what condition the certificate came back."),
            "invalid_choice": _("Say in what condition the certificate came back."),
        },
    )


class VoidForm(StepForm):
    submit_label = _("Void the certificate")
    on = _date_field(_("voided on"))
    reason = forms.ChoiceField(
        label=_("reason for voiding"),
        choices=[("", "---------"), *VoidReason.choices],
        error_messages={
            "required": _("Choose why the certificate is void."),
            "invalid_choice": _("Choose why the certificate is void."),
        },
    )
