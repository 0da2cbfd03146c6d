"""Member and outflow forms. ID numbers and phones are validated and normalized here, with messages
that say what to do; dropdowns list only what the user may see."""

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.people import PersonalDataFormMixin
from lanshan_party.personal_data import mask_phone, normalize_phone
from members.models import (
    CensusCampaign,
    CensusStatus,
    CensusTask,
    Holiday,
    LostCause,
    Member,
    Outflow,
)
from organizations.forms import DateInput
from organizations.models import PROVINCE_CHOICES, Organization


class MemberForm(StaleEditMixin, CrispyFormMixin, PersonalDataFormMixin, forms.ModelForm):
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

    duplicate_id_number = gettext_lazy(
        "Another member already has this ID number. Search for it instead of adding the member twice."
    )

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
        self.fields["name"].error_messages["required"] = _("Enter the member's name.")
        self.fields["home_branch"].error_messages["required"] = _(
            "Choose the branch that holds the member's relationship."
        )


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
        ("partner_org",),
        ("partner_org_name", "partner_contact", "partner_contact_phone"),
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
            "partner_org",
            "partner_org_name",
            "partner_contact",
            "partner_contact_phone",
            "pair_contact",
        ]
        widgets = {
            "departure_date": DateInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flowing = Organization.objects.visible_to(user).flowing().active()
        if self.instance.flowing_org_id and not user.sees_organization(self.instance.flowing_org):
            # Keep the member's current flowing organization selectable, and nothing else outside.
            flowing = flowing | Organization.objects.filter(pk=self.instance.flowing_org_id)
        self.fields["flowing_org"].queryset = flowing
        from members.partner_forms import agreement_partners

        # Partners of every agreement in force: the flowing organization may be matched from the destination only
        # when saving (a village secretary picks none); clean() checks the chosen one covers it.
        partners = agreement_partners()
        if self.instance.partner_org_id:
            partners = Organization.objects.filter(Q(pk__in=partners.values("pk")) | Q(pk=self.instance.partner_org_id))
        self.fields["partner_org"].queryset = partners
        self.fields["partner_org"].help_text = _(
            "A partner organization of an agreement in force covering the flowing organization: its staff then see "
            "the member, confirm the report-in and report back. Otherwise give its name below."
        )
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

    def clean(self) -> dict[str, Any]:
        from members.actions import match_flowing_org
        from members.partner_forms import agreement_partners

        cleaned = super().clean()
        partner = cleaned.get("partner_org")
        if partner is not None and partner.pk != self.instance.partner_org_id:
            flowing = cleaned.get("flowing_org") or match_flowing_org(
                cleaned.get("province", ""), cleaned.get("city", ""), cleaned.get("district", "")
            )
            if flowing is None or not agreement_partners([flowing]).filter(pk=partner.pk).exists():
                self.add_error(
                    "partner_org",
                    _(
                        "%(partner)s is not the partner of an agreement in force covering %(org)s. Choose the "
                        "flowing organization first, or leave the partner organization empty and give its name."
                    )
                    % {"partner": partner, "org": flowing or _("the destination")},
                )
        return cleaned

    def outflow_fields(self) -> dict[str, Any]:
        """The outflow's fields the form has (an imported row has no destination partner column)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


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
        if event == "report":
            self.fields["receiving_org_name"] = forms.CharField(
                label=_("receiving organization"),
                max_length=120,
                required=False,
                help_text=_(
                    "Where the member reported and joins organizational life; empty: the destination partner "
                    "organization of the outflow, if any."
                ),
            )
        if event == "close":
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _("Say why the outflow is closed.")


class CampaignForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    """A census campaign; its window can be proposed from the holiday of a year (lunar calendar)."""

    rows = (("holiday", "year"), ("name",), ("starts_on", "ends_on"), ("organizations",), ("note",))

    class Meta:
        model = CensusCampaign
        fields = ["holiday", "year", "name", "starts_on", "ends_on", "organizations", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "organizations": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "holiday": gettext_lazy("With a holiday and a year, leave the name and dates empty to have them proposed."),
        }
        error_messages = {
            "organizations": {"required": gettext_lazy("Tick at least one organization for the campaign to cover.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = (
            Organization.objects.visible_to(user).active().filter(kind__in=("county", "township", "flowing"))
        )
        for name in ("holiday", "year"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("members:campaign_window"),
                    "hx-trigger": "change, load",
                    "hx-include": "[name=holiday],[name=year]",
                    "hx-target": "#campaign-window",
                }
            )
        self.fields["name"].required = False
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False

    def clean(self) -> dict[str, Any]:
        from members.census import proposed_name, proposed_window

        cleaned = super().clean()
        holiday, year = cleaned.get("holiday"), cleaned.get("year")
        if holiday and holiday != Holiday.OTHER:
            if not year:
                self.add_error("year", _("Give the year of the holiday, e.g. 2027."))
            elif not 1900 <= year <= 2100:
                self.add_error("year", _("Give a year between 1900 and 2100."))
            else:
                start, end = proposed_window(holiday, year)
                cleaned["starts_on"] = cleaned.get("starts_on") or start
                cleaned["ends_on"] = cleaned.get("ends_on") or end
                cleaned["name"] = cleaned.get("name") or proposed_name(holiday, year)
        for field, message in (
            ("name", _("Give the campaign a name, or choose a holiday and year to have one proposed.")),
            ("starts_on", _("Give the first day of the campaign, or choose a holiday and year.")),
            ("ends_on", _("Give the deadline, or choose a holiday and year.")),
        ):
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        for field in ("name", "starts_on", "ends_on"):
            if cleaned.get(field):
                setattr(self.instance, field, cleaned[field])
        return cleaned


class CensusResultForm(CrispyFormMixin, forms.ModelForm):
    """What the secretary found about one member: contacted or not, how, the result, and where they are now."""

    rows = (
        ("contacted", "channel"),
        ("result",),
        ("lost_cause",),
        ("province", "city", "district"),
        ("employer",),
        ("note",),
    )
    submit_label = gettext_lazy("Save the result")
    contacted = forms.TypedChoiceField(
        label=gettext_lazy("contacted"),
        choices=[("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Say whether the member was reached.")},
    )
    lost_cause = forms.ChoiceField(
        label=gettext_lazy("cause of lost contact"), choices=[("", "---------"), *LostCause.choices], required=False
    )
    province = forms.ChoiceField(label=gettext_lazy("verified province"), choices=PROVINCE_CHOICES, required=False)
    city = forms.CharField(label=gettext_lazy("verified city"), max_length=30, required=False)
    district = forms.CharField(label=gettext_lazy("verified district / county"), max_length=30, required=False)
    employer = forms.CharField(label=gettext_lazy("employer"), max_length=100, required=False)

    class Meta:
        model = CensusTask
        fields = ["contacted", "channel", "result", "note"]
        widgets = {"result": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "result": {"required": gettext_lazy("Choose what you found: normal, updated, lost or returned.")}
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].required = True
        self.fields["result"].choices = CensusStatus.choices
        outflow = self.instance.member.current_outflow
        if outflow is not None and not self.is_bound:
            self.initial.update(
                province=outflow.province, city=outflow.city, district=outflow.district, employer=outflow.employer
            )
        if self.instance.contacted is not None:
            self.initial["contacted"] = "true" if self.instance.contacted else "false"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        result, contacted = cleaned.get("result"), cleaned.get("contacted")
        if contacted and not cleaned.get("channel"):
            self.add_error("channel", _("Say how the member was reached."))
        if result == CensusStatus.LOST:
            if contacted:
                self.add_error("result", _("A member who was reached has not lost contact. Choose another result."))
            if not cleaned.get("lost_cause"):
                self.add_error("lost_cause", _("Choose the cause of lost contact, one of the seven official causes."))
        if result == CensusStatus.UPDATED:
            if not cleaned.get("province"):
                self.add_error("province", _("Give the province where the member is now."))
            if not cleaned.get("city"):
                self.add_error("city", _("Give the city where the member is now."))
        return cleaned

    def whereabouts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("province", "city", "district", "employer")}
