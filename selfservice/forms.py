"""Forms of the member's own pages, the public page, and the secretary's review. Messages say in Chinese what to do."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin
from lanshan_party.personal_data import normalize_phone
from organizations.models import PROVINCE_CHOICES, Organization
from selfservice.models import LinkChannel, PublicRequest, Purpose, RequestStatus, SelfReport

DIGITS = re.compile(r"^\d{3}[\dXx]$")


class DigitsForm(CrispyFormMixin, forms.Form):
    submit_label = gettext_lazy("Continue")
    digits = forms.CharField(
        label=gettext_lazy("Last 4 characters of your ID number"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
        error_messages={
            "required": gettext_lazy("Enter the last 4 characters of your ID number."),
            "min_length": gettext_lazy("Enter exactly 4 characters: the last 4 of your ID number."),
            "max_length": gettext_lazy("Enter exactly 4 characters: the last 4 of your ID number."),
        },
    )

    def clean_digits(self) -> str:
        value = self.cleaned_data["digits"].strip()
        if not DIGITS.match(value):
            raise forms.ValidationError(_("Enter 4 characters: digits, the last one may be an X."))
        return value.upper()


def _clean_phone(value: str) -> str:
    return normalize_phone(value) if value.strip() else ""


class WhereaboutsForm(CrispyFormMixin, forms.ModelForm):
    """Where the member is now (a whereabouts check or a census answer)."""

    submit_label = gettext_lazy("Send to my Party organization")
    province = forms.ChoiceField(label=gettext_lazy("province"), choices=PROVINCE_CHOICES, required=False)
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Only if your number changed; leave empty to keep the one on record."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    class Meta:
        model = SelfReport
        fields = ["returned_home", "province", "city", "district", "address", "employer", "phone"]

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("returned_home"):
            for name in ("province", "city"):
                if not cleaned.get(name):
                    self.add_error(name, _("Give the province and city where you live or work now."))
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class YearlyReportForm(CrispyFormMixin, forms.ModelForm):
    """每年至少向流出地党组织汇报一次: study, work, organizational life."""

    submit_label = gettext_lazy("Send to my Party organization")

    class Meta:
        model = SelfReport
        fields = ["study", "work", "organizational_life"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _("Write a few sentences here; all three parts are needed.")
        self.fields["study"].help_text = _("What you studied this year: theory, policy, skills.")
        self.fields["work"].help_text = _("Your work and what you did for the people around you.")
        self.fields["organizational_life"].help_text = _("Where and how you took part in organizational life.")

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ChangeForm(CrispyFormMixin, forms.ModelForm):
    submit_label = gettext_lazy("Send to my Party organization")

    class Meta:
        model = SelfReport
        fields = ["circumstance"]
        widgets = {"circumstance": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["circumstance"]
        field.required = True
        field.error_messages["required"] = _("Describe what changed: work, residence, family, health or other.")
        field.help_text = _("For example a new job, a move, an illness, or going abroad.")

    def answers(self) -> dict[str, Any]:
        return {"circumstance": self.cleaned_data["circumstance"]}


FORMS = {
    Purpose.WHEREABOUTS: WhereaboutsForm,
    Purpose.CENSUS: WhereaboutsForm,
    Purpose.YEARLY_REPORT: YearlyReportForm,
    Purpose.CHANGE: ChangeForm,
}


class SendLinkForm(forms.Form):
    purpose = forms.ChoiceField(
        label=gettext_lazy("purpose"), choices=[c for c in Purpose.choices if c[0] != Purpose.CENSUS]
    )
    channel = forms.ChoiceField(label=gettext_lazy("send by"), choices=LinkChannel.choices)
    email = forms.EmailField(
        label=gettext_lazy("e-mail address"),
        required=False,
        error_messages={"invalid": gettext_lazy("Enter an e-mail address such as name@example.com.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("channel") == LinkChannel.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Give the member's e-mail address to send the link to."))
        return cleaned


class ReviewForm(CrispyFormMixin, forms.ModelForm):
    """The secretary's review: the member's values, to correct before accepting, and a note."""

    province = forms.ChoiceField(label=gettext_lazy("province"), choices=PROVINCE_CHOICES, required=False)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)
    review_note = forms.CharField(
        label=gettext_lazy("review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = SelfReport
        fields = ["returned_home", "province", "city", "district", "address", "employer", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.inputs = []  # the page has its own accept and reject buttons
        self.helper.form_tag = False
        if self.instance.purpose not in (Purpose.WHEREABOUTS, Purpose.CENSUS):
            for name in self.Meta.fields:
                del self.fields[name]

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class RequestForm(CrispyFormMixin, forms.ModelForm):
    """A request to be contacted, left on the public page."""

    submit_label = gettext_lazy("Ask to be contacted")
    phone = forms.CharField(
        label=gettext_lazy("phone"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    class Meta:
        model = PublicRequest
        fields = ["organization", "name", "phone", "home_township", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        self.fields["organization"].error_messages["invalid_choice"] = _(
            "Choose one of the organizations listed for the city."
        )
        self.fields["home_township"].help_text = _("The township in Lanshan you come from, e.g. 塔峰镇.")
        for name in ("name", "phone", "home_township"):
            self.fields[name].error_messages["required"] = _("This is needed so the organization can contact you.")

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def fields_for_request(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "phone", "home_township", "message")}


class HandleRequestForm(forms.Form):
    status = forms.ChoiceField(choices=[c for c in RequestStatus.choices if c[0] != RequestStatus.PENDING])
    note = forms.CharField(required=False, max_length=500)


def city_organizations(city: str) -> Any:
    return Organization.objects.flowing().active().filter(city=city).order_by("name")
