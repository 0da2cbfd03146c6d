"""Forms for organizations and stations; every dropdown is scoped to the user's subtree."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin
from lanshan_party.models import User
from lanshan_party.personal_data import normalize_phone
from members.models import Member
from organizations.models import PROVINCE_CHOICES, Funding, Organization, Station


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganizationForm(CrispyFormMixin, forms.ModelForm):
    rows = (
        ("name", "short_name"),
        ("kind", "level"),
        ("parent",),
        ("code", "founded"),
        ("province", "city", "district"),
        ("address",),
        ("basis",),
        ("secretary", "secretary_name", "contact_phone"),
        ("approved_by", "approval_date"),
    )
    province = forms.ChoiceField(label=gettext_lazy("province"), choices=PROVINCE_CHOICES, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("contact phone"), required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "code",
            "founded",
            "province",
            "city",
            "district",
            "address",
            "basis",
            "secretary",
            "secretary_name",
            "contact_phone",
            "approved_by",
            "approval_date",
        ]
        widgets = {"founded": DateInput(), "approval_date": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        parents = visible.in_tree().active()
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        if self.instance.pk:
            # The secretary is one of the organization's own members (a bounded list, not the county).
            self.fields["secretary"].queryset = Member.objects.visible_to(user).filter(
                Q(home_branch=self.instance) | Q(flowing_org=self.instance)
            )
        else:
            del self.fields["secretary"]
        self.fields["name"].error_messages["unique"] = _(
            "An organization with this name already exists. Use its full official name."
        )

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("contact_phone", ""))


class DissolveForm(CrispyFormMixin, forms.Form):
    submit_label = gettext_lazy("Dissolve")
    dissolved_on = forms.DateField(label=gettext_lazy("dissolved on"), widget=DateInput())
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand the organization will be marked dissolved and no longer offered in forms."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the dissolution.")},
    )


class StationForm(CrispyFormMixin, forms.ModelForm):
    funding = forms.MultipleChoiceField(
        label=gettext_lazy("funding sources"),
        choices=Funding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Station
        fields = ["organization", "name", "address", "opened_on", "funding", "duties"]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user).flowing().active()
