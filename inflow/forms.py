"""Inflow member forms: ID number and phones validated and normalized with messages that say what to do, the branch
dropdown cut to the user's own branches, and the workflow steps (report-in, report back, leaving)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inflow.models import RECEIVING_KINDS, InflowMember, InflowReport, ReportChannel
from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.people import PersonalDataFormMixin
from members.models import Member
from organizations.forms import DateInput
from organizations.models import Organization


def receiving_branches(user: User) -> Any:
    """The active local branches the user may place an inflow member in: in their subtree."""
    return Organization.objects.visible_to(user).filter(kind__in=RECEIVING_KINDS, is_active=True)


class InflowMemberForm(StaleEditMixin, CrispyFormMixin, PersonalDataFormMixin, forms.ModelForm):
    rows = (
        ("name", "id_number"),
        ("gender", "birth_date", "phone"),
        ("joined_on", "occupation", "from_province"),
        ("arrived_on", "reason"),
        ("has_certificate", "certificate_number"),
        ("home_org_name",),
        ("home_place", "home_contact", "contact_phone"),
        ("branch",),
        ("note",),
    )
    phones = ("phone", "contact_phone")
    duplicate_id_number = gettext_lazy(
        "Another inflow member already has this ID number. Search for them instead of adding them twice."
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("home organization contact phone"), max_length=30, required=False
    )

    class Meta:
        model = InflowMember
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "joined_on",
            "occupation",
            "from_province",
            "arrived_on",
            "reason",
            "has_certificate",
            "certificate_number",
            "home_org_name",
            "home_place",
            "home_contact",
            "contact_phone",
            "branch",
            "note",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "arrived_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = receiving_branches(user)
        self.fields["branch"].queryset = branches
        if not self.instance.pk and not self.is_bound and "branch" not in self.initial:
            only = list(branches.values_list("pk", flat=True)[:2])
            if len(only) == 1:  # a branch secretary registers into their own branch: chosen already
                self.initial["branch"] = only[0]
        required = {
            "name": _("Enter the member's name."),
            "branch": _("Choose the local branch the member joins for organizational life."),
            "from_province": _("Choose the province the member came from."),
            "arrived_on": _("Give the day the member arrived in Lanshan."),
            "reason": _("Choose why the member came to Lanshan."),
            "home_org_name": _("Enter the organization that holds the member's relationship."),
            "home_place": _("Enter where that organization is (province and county)."),
        }
        for name, message in required.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def check_duplicate_id_number(self, digest: str) -> None:
        super().check_duplicate_id_number(digest)
        if Member.objects.filter(id_number_hash=digest).exists():
            raise forms.ValidationError(
                _("This ID number belongs to a member of our own county, who is not an inflow member. Check it.")
            )

    def clean_contact_phone(self) -> str:
        return self.kept_phone("contact_phone")


class ReportInForm(CrispyFormMixin, forms.Form):
    """The member reported in: on which day, and the branch they join."""

    submit_label = gettext_lazy("Record the report-in")
    on = forms.DateField(label=gettext_lazy("reported in on"), widget=DateInput())
    branch = forms.ModelChoiceField(label=gettext_lazy("local branch"), queryset=Organization.objects.none())
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = receiving_branches(user)
        self.fields["on"].error_messages["required"] = _("Give the day the member reported in.")
        self.fields["branch"].error_messages["required"] = _("Choose the branch the member joins.")
        self.fields["branch"].error_messages["invalid_choice"] = _(
            "Choose one of the branches listed: an active branch among those you look after."
        )


class ReportBackForm(CrispyFormMixin, forms.ModelForm):
    """A report back to the home organization."""

    submit_label = gettext_lazy("Record the report")

    class Meta:
        model = InflowReport
        fields = ["reported_on", "channel", "content"]
        widgets = {"reported_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = ReportChannel.choices
        self.fields["reported_on"].error_messages["required"] = _("Give the day of the report.")
        self.fields["channel"].error_messages["required"] = _("Choose how the report was made.")
        self.fields["content"].error_messages["required"] = _(
            "Say what was reported (attendance, conduct, anything the home organization should know)."
        )
        self.initial.setdefault("reported_on", timezone.localdate())


class EndForm(CrispyFormMixin, forms.Form):
    """The member left Lanshan."""

    submit_label = gettext_lazy("Record the departure")
    on = forms.DateField(label=gettext_lazy("left on"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("reason for leaving"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = _("Give the day the member left Lanshan.")
        self.fields["reason"].error_messages["required"] = _(
            "Say why the member left (moved on, went home, relationship transferred …)."
        )
