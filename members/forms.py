"""Member and outflow forms. ID numbers and phones are validated and normalized here, with messages
that say what to do; dropdowns list only what the user may see."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.personal_data import (
    blind_index,
    id_birth_date,
    id_gender,
    mask_id_number,
    mask_phone,
    normalize_phone,
    validate_id_number,
)
from members.models import LostCause, Member, Outflow
from organizations.forms import DateInput
from organizations.models import PROVINCE_CHOICES, Organization


class MemberForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("name", "id_number"),
        ("gender", "birth_date", "ethnicity"),
        ("phone", "education"),
        ("joined_on", "full_member_on"),
        ("category", "standing"),
        ("household_township", "household_village"),
        ("home_branch",),
        ("tags",),
        ("note",),
    )
    id_number = forms.CharField(
        label=gettext_lazy("citizen ID number"),
        max_length=40,
        help_text=gettext_lazy("18 characters; a trailing x is accepted. Gender and birth date are read from it."),
    )
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)

    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "phone",
            "education",
            "joined_on",
            "full_member_on",
            "category",
            "standing",
            "household_township",
            "household_village",
            "home_branch",
            "tags",
            "note",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "full_member_on": DateInput(),
            "tags": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = Organization.objects.visible_to(user).home_branches().active()
        if self.instance.pk and not user.sees_organization(self.instance.home_branch):
            # A flowing organization's secretary edits members whose home branch is elsewhere:
            # they may keep that branch, not pick another one outside their subtree.
            branches = Organization.objects.filter(pk=self.instance.home_branch_id)
        self.fields["home_branch"].queryset = branches
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["gender"].help_text = _("Leave empty to take it from the ID number.")
        self.fields["birth_date"].help_text = _("Leave empty to take it from the ID number.")
        if self.instance.pk:
            # Editing never puts the full values on the page: blank keeps what is stored.
            self.initial["id_number"] = ""
            self.initial["phone"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_id_number(self.instance.id_number)
            }
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(self.instance.phone) or "—"
            }
        self.fields["name"].error_messages["required"] = _("Enter the member's name.")
        self.fields["home_branch"].error_messages["required"] = _(
            "Choose the branch that holds the member's relationship."
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the member's name."))
        return name

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if self.instance.pk and not raw.strip():
            return self.instance.id_number
        number = validate_id_number(raw)
        duplicate = Member.objects.filter(id_number_hash=blind_index(number)).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(
                _("Another member already has this ID number. Search for it instead of adding the member twice.")
            )
        return number

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if self.instance.pk and not raw.strip():
            return self.instance.phone
        return normalize_phone(raw)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number:
            # Derive what was left empty; what was typed is checked against the ID in Member.clean().
            if not cleaned.get("gender"):
                cleaned["gender"] = self.instance.gender = id_gender(number)
            if not cleaned.get("birth_date"):
                cleaned["birth_date"] = self.instance.birth_date = id_birth_date(number)
        return cleaned


class RevealForm(CrispyFormMixin, forms.Form):
    submit_label = gettext_lazy("Show full values")
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        min_length=4,
        max_length=200,
        help_text=gettext_lazy("Why you need the full ID number and phone; this is written to the audit log."),
        error_messages={
            "required": gettext_lazy("Say why you need the full values (at least 4 characters)."),
            "min_length": gettext_lazy("Say why you need the full values (at least 4 characters)."),
        },
    )


class OutflowForm(CrispyFormMixin, forms.ModelForm):
    """Register a departure (or correct an open outflow's whereabouts)."""

    rows = (
        ("departure_date", "scope", "reason"),
        ("province", "city", "district"),
        ("address",),
        ("industry", "employer"),
        ("flowing_org",),
        ("partner_org_name", "partner_contact", "partner_contact_phone"),
        ("certificate_number", "certificate_issued_on", "certificate_checked_on"),
        ("pair_contact",),
        ("note",),
    )
    province = forms.ChoiceField(label=gettext_lazy("destination province"), choices=PROVINCE_CHOICES)

    partner_contact_phone = forms.CharField(label=gettext_lazy("destination contact phone"), required=False)
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Outflow
        fields = [
            "departure_date",
            "province",
            "city",
            "district",
            "address",
            "scope",
            "reason",
            "industry",
            "employer",
            "flowing_org",
            "partner_org_name",
            "partner_contact",
            "partner_contact_phone",
            "certificate_number",
            "certificate_issued_on",
            "certificate_checked_on",
            "pair_contact",
        ]
        widgets = {
            "departure_date": DateInput(),
            "certificate_issued_on": DateInput(),
            "certificate_checked_on": DateInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flowing = Organization.objects.visible_to(user).flowing().active()
        if self.instance.flowing_org_id and not user.sees_organization(self.instance.flowing_org):
            # Keep the member's current flowing organization selectable, and nothing else outside.
            flowing = flowing | Organization.objects.filter(pk=self.instance.flowing_org_id)
        self.fields["flowing_org"].queryset = flowing
        self.fields["flowing_org"].help_text = _(
            "Leave empty to assign the flowing organization at the destination automatically."
        )
        if self.instance.pk:
            self.initial["partner_contact_phone"] = ""
            self.fields["partner_contact_phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(self.instance.partner_contact_phone) or "—"
            }
        for name in ("departure_date", "province", "city"):
            self.fields[name].error_messages["required"] = _("This is needed to register a departure.")

    def clean_partner_contact_phone(self) -> str:
        raw = self.cleaned_data.get("partner_contact_phone", "")
        if self.instance.pk and not raw.strip():
            return self.instance.partner_contact_phone
        return normalize_phone(raw)

    def outflow_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TransitionForm(CrispyFormMixin, forms.Form):
    """One step of the outflow workflow: a date, a note, and for 'lost' the official cause."""

    on = forms.DateField(label=gettext_lazy("date"), widget=DateInput())
    cause = forms.ChoiceField(label=gettext_lazy("cause of lost contact"), choices=LostCause.choices, required=False)
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, event: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if event != "lose":
            del self.fields["cause"]
        else:
            self.fields["cause"].required = True
            self.fields["cause"].error_messages["required"] = _("Choose one of the official causes of lost contact.")
        if event == "close":
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _("Say why the outflow is closed.")
