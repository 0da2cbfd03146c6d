"""Forms for the catalog, service cases, recognitions, representative posts and hometown projects.

Every dropdown lists only what the user may see; an id posted by hand from outside is an invalid
choice, so it is refused with a message and never saved."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from members.models import Member
from members.widgets import use_member_picker
from organizations.forms import DateInput
from organizations.models import Organization
from services.models import (
    HometownProject,
    Recognition,
    RepresentativePost,
    ServiceCase,
    ServiceItem,
)

MEMBER_OUT_OF_SCOPE = gettext_lazy(
    "This member is not among the members you look after. Choose one from the list; "
    "for anyone else, type their name as a fellow townsperson."
)
ORGANIZATION_OUT_OF_SCOPE = gettext_lazy(
    "This organization is not in your part of the tree, or is dissolved. Choose one from the list."
)
NOT_NEGATIVE = gettext_lazy("This cannot be negative. Enter 0 or more.")


class MemberChoiceField(forms.ModelChoiceField):
    """Members by name and home branch, so two members of the same name can be told apart."""

    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name} · {obj.home_branch.display_name}"


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name} · {obj.home_branch.display_name}"


def scoped_members(user: User, keep: int | None = None) -> Any:
    """The members the user may choose; `keep` stays choosable on an edit even if it is outside now."""
    members = Member.objects.visible_to(user)
    if keep:
        members = members | Member.objects.filter(pk=keep)
    return members.select_related("home_branch")


def scoped_organizations(user: User, keep: int | None = None) -> Any:
    """Active organizations of the user's subtree (a dissolved one an existing record names stays choosable)."""
    organizations = Organization.objects.visible_to(user).in_tree().active()
    if keep:
        organizations = organizations | Organization.objects.visible_to(user).filter(pk=keep)
    return organizations


def _refuse_outside(field: forms.Field, message: Any) -> None:
    field.error_messages["invalid_choice"] = message
    field.error_messages["invalid_pk_value"] = message


class ServiceItemForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (("name",), ("category", "sort_order"), ("description",), ("is_active",))

    class Meta:
        model = ServiceItem
        fields = ["name", "category", "sort_order", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {
                "unique": gettext_lazy("The catalog already has an item of this name. Edit that item instead."),
                "required": gettext_lazy("Enter the name of the item as the catalog publishes it."),
            },
            "category": {"required": gettext_lazy("Choose the category the item belongs to.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ServiceCaseForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("kind", "date"),
        ("organization", "service_item"),
        ("member", "beneficiary_name"),
        ("description",),
        ("outcome", "amount", "people_helped"),
        ("outcome_note",),
    )

    class Meta:
        model = ServiceCase
        fields = [
            "kind",
            "date",
            "organization",
            "service_item",
            "member",
            "beneficiary_name",
            "description",
            "outcome",
            "amount",
            "people_helped",
            "outcome_note",
        ]
        field_classes = {"member": MemberChoiceField}
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome_note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "kind": {"required": gettext_lazy("Choose the kind of service.")},
            "date": {"required": gettext_lazy("Enter the date the service was rendered.")},
            "organization": {"required": gettext_lazy("Choose the organization that rendered the service.")},
            "description": {"required": gettext_lazy("Describe briefly what was done for the person.")},
            "people_helped": {"min_value": NOT_NEGATIVE},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        if not case.pk:
            case.handled_by = user
            if user.organization_id and not self.initial.get("organization"):
                self.initial["organization"] = user.organization_id
        self.fields["organization"].queryset = scoped_organizations(user, keep=case.organization_id)
        self.fields["member"].queryset = scoped_members(user, keep=case.member_id)
        use_member_picker(self.fields["member"])
        items = ServiceItem.objects.visible_to(user).active()
        if case.service_item_id:
            items = items | ServiceItem.objects.filter(pk=case.service_item_id)
        self.fields["service_item"].queryset = items
        _refuse_outside(self.fields["organization"], ORGANIZATION_OUT_OF_SCOPE)
        _refuse_outside(self.fields["member"], MEMBER_OUT_OF_SCOPE)
        _refuse_outside(
            self.fields["service_item"],
            _("This item is not in the catalog any more. Choose an item that is offered."),
        )


class RecognitionForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (("member",), ("award", "level", "year"), ("awarded_by",), ("note",))

    class Meta:
        model = Recognition
        fields = ["member", "award", "level", "year", "awarded_by", "note"]
        field_classes = {"member": MemberChoiceField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "member": {"required": gettext_lazy("Choose the member who was recognized.")},
            "award": {"required": gettext_lazy("Enter the name of the award, e.g. 优秀共产党员.")},
            "level": {"required": gettext_lazy("Choose the level of the award.")},
            "year": {"required": gettext_lazy("Enter the year of the award.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = scoped_members(user)
        use_member_picker(self.fields["member"])
        _refuse_outside(self.fields["member"], MEMBER_OUT_OF_SCOPE)


class RepresentativePostForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (("member",), ("post", "level"), ("term", "start_year", "end_year"), ("note",))

    class Meta:
        model = RepresentativePost
        fields = ["member", "post", "level", "term", "start_year", "end_year", "note"]
        field_classes = {"member": MemberChoiceField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "member": {"required": gettext_lazy("Choose the member who holds the post.")},
            "post": {"required": gettext_lazy("Choose the post.")},
            "level": {"required": gettext_lazy("Choose the level of the post.")},
            "start_year": {"required": gettext_lazy("Enter the year the post began.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = scoped_members(user)
        use_member_picker(self.fields["member"])
        _refuse_outside(self.fields["member"], MEMBER_OUT_OF_SCOPE)


class HometownProjectForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("kind", "started_on"),
        ("title",),
        ("organization",),
        ("township", "village"),
        ("investment", "jobs_created", "people_enriched"),
        ("members",),
        ("description",),
    )

    class Meta:
        model = HometownProject
        fields = [
            "kind",
            "title",
            "started_on",
            "organization",
            "township",
            "village",
            "investment",
            "jobs_created",
            "people_enriched",
            "members",
            "description",
        ]
        field_classes = {"members": MemberMultipleChoiceField}
        widgets = {
            "started_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "kind": {"required": gettext_lazy("Choose which of the four kinds this is.")},
            "title": {"required": gettext_lazy("Give the project a short title.")},
            "organization": {"required": gettext_lazy("Choose the organization that follows the project.")},
            "jobs_created": {"min_value": NOT_NEGATIVE},
            "people_enriched": {"min_value": NOT_NEGATIVE},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.instance
        if not project.pk and user.organization_id and not self.initial.get("organization"):
            self.initial["organization"] = user.organization_id
        self.fields["organization"].queryset = scoped_organizations(user, keep=project.organization_id)
        visible = Member.objects.visible_to(user)
        self.fields["members"].queryset = visible.select_related("home_branch")
        use_member_picker(self.fields["members"], multiple=True)
        # Members linked by someone with a wider view stay linked: this user neither sees nor drops them.
        self.unseen_member_ids = (
            list(project.members.exclude(pk__in=visible.values("pk")).values_list("pk", flat=True))
            if project.pk
            else []
        )
        _refuse_outside(self.fields["organization"], ORGANIZATION_OUT_OF_SCOPE)
        _refuse_outside(self.fields["members"], MEMBER_OUT_OF_SCOPE)

    def clean_members(self) -> Any:
        chosen = self.cleaned_data["members"]
        if not self.unseen_member_ids:
            return chosen
        return Member.objects.filter(Q(pk__in=chosen.values("pk")) | Q(pk__in=self.unseen_member_ids))
