"""Forms for organizations, stations and agreements; every dropdown is scoped to the user's subtree."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.personal_data import normalize_phone
from lanshan_party.uploads import EXTENSIONS, SCAN_KINDS, UploadValidator
from members.models import Member
from organizations.models import (
    PROVINCE_CHOICES,
    Agreement,
    AgreementScope,
    AgreementStatus,
    Funding,
    Organization,
    Station,
)


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
        instance = kwargs.get("instance")
        if instance is None or instance.pk is None:
            # A new organization has no members to choose its secretary from: the field is dropped below, and the
            # layout built in CrispyFormMixin must not name it (crispy logs a traceback for every missing field).
            self.rows = tuple(tuple(name for name in row if name != "secretary") for row in self.rows)
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


@dataclass(frozen=True)
class CurrentScan:
    """What the file input shows for the stored signed copy: a link to the download page."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class ScanField(forms.FileField):
    """The signed-copy upload. The current file is linked through the scope-checked download page, not
    its storage path: uploads are never served from MEDIA_URL."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, FieldFile) and value and value.instance.pk:
            return CurrentScan(url=value.instance.get_scan_url(), name=_("Current signed copy"))
        return value


class AgreementForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("partner", "counterpart"),
        ("province", "city", "district"),
        ("signed_on", "valid_from", "valid_to"),
        ("status",),
        ("scope",),
        ("scope_text",),
        ("covered_organizations",),
        ("scan",),
        ("note",),
    )
    province = forms.ChoiceField(label=gettext_lazy("province"), choices=PROVINCE_CHOICES, required=False)
    scope = forms.MultipleChoiceField(
        label=gettext_lazy("scope"),
        choices=AgreementScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    scan = ScanField(
        label=gettext_lazy("signed copy (scan)"),
        required=False,
        # The browser offers only the allowed kinds; the server checks the content anyway.
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ext for kind in SCAN_KINDS for ext in EXTENSIONS[kind])}
        ),
    )

    class Meta:
        model = Agreement
        fields = [
            "partner",
            "counterpart",
            "province",
            "city",
            "district",
            "signed_on",
            "valid_from",
            "valid_to",
            "status",
            "scope",
            "scope_text",
            "covered_organizations",
            "scan",
            "note",
        ]
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "covered_organizations": forms.CheckboxSelectMultiple,
            "scope_text": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        partners, covered = visible.partners().active(), visible.flowing().active()
        if self.instance.pk:
            # An organization dissolved since stays chosen instead of silently dropping off the agreement.
            partners = visible.partners().filter(Q(is_active=True) | Q(pk=self.instance.partner_id))
            covered = visible.flowing().filter(
                Q(is_active=True) | Q(pk__in=self.instance.covered_organizations.values("pk"))
            )
        self.fields["partner"].queryset = partners.order_by("name")
        self.fields["covered_organizations"].queryset = covered.order_by("path")
        self.fields["counterpart"].required = False
        self.fields["partner"].help_text = _(
            "If the destination's department is in the partner directory, choose it: "
            "an empty counterpart and region are then filled in from it."
        )
        self.fields["status"].help_text = _("An agreement in force counts as expired once its end date has passed.")
        self.fields["scope"].help_text = _("Tick what the agreement covers; add details below.")
        validator = UploadValidator(SCAN_KINDS)
        self.fields["scan"].help_text = _("%(kinds)s, at most %(limit)s.") % {
            "kinds": validator.allowed_labels(),
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
        }
        if self.instance.pk and self.instance.scan:
            self.fields["scan"].help_text += " " + _(
                "Leave empty to keep the current file, choose one to replace it, or tick the box to remove it."
            )
        self.fields["valid_from"].error_messages["required"] = _("Enter the date the agreement takes effect.")
        self.fields["valid_to"].error_messages["required"] = _(
            "Enter the date the agreement ends (its last day of validity)."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        partner = cleaned.get("partner")
        if partner is not None:
            # Take what was left empty from the partner directory entry.
            if not cleaned.get("counterpart"):
                cleaned["counterpart"] = partner.name
            if not (cleaned.get("province") or cleaned.get("city") or cleaned.get("district")):
                cleaned["province"], cleaned["city"], cleaned["district"] = (
                    partner.province,
                    partner.city,
                    partner.district,
                )
        if not cleaned.get("counterpart") and "counterpart" not in self.errors:
            self.add_error(
                "counterpart",
                _(
                    "Enter the destination's organization department (e.g. 中共广州市花都区委组织部), "
                    "or choose it as the partner organization."
                ),
            )
        if cleaned.get("status") == AgreementStatus.IN_FORCE and not cleaned.get("signed_on"):
            self.add_error("signed_on", _("An agreement in force has been signed: enter the signing date."))
        return cleaned
