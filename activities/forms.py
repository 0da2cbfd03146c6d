"""Activity, attendance and red-package forms. Every organization and member offered is one the user may see,
and ids posted by hand for anything else are refused."""

import re
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import Activity, AttendanceStatus, RedPackage, ThemeDayPart
from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from lanshan_party.uploads import IMAGE_KINDS, UploadValidator
from members.models import Member, Standing
from organizations.forms import DateInput
from organizations.models import Organization, OrgKind

MAX_PHOTOS = 9
ROSTER_LIMIT = 300  # members listed for one-tap attendance; beyond that, search


def activity_holders(user: User) -> Any:
    """Organizations the user may record activities for: active, in our tree, in the user's subtree."""
    return Organization.objects.visible_to(user).active().in_tree().exclude(kind=OrgKind.PARTNER)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input, each checked like any upload (type by content, size, honest extension)."""

    widget = MultipleImageInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("You chose %(count)d photos; at most %(max)d can be added at a time. Choose fewer and save again.")
                % {"count": len(files), "max": MAX_PHOTOS}
            )
        validate = UploadValidator(IMAGE_KINDS)
        errors = []
        for file in files:
            try:
                validate(file)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(files)


class ActivityForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("organization",),
        ("type", "date", "hours"),
        ("theme_parts",),
        ("topic",),
        ("place", "online_link"),
        ("summary",),
        ("photos",),
    )
    theme_parts = forms.MultipleChoiceField(
        label=gettext_lazy("theme day parts"),
        choices=ThemeDayPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("For a theme Party day: which of a lesson, a film and a practice it included."),
    )
    photos = PhotosField(
        label=gettext_lazy("photos"),
        help_text=gettext_lazy("JPEG or PNG, up to %(count)d at a time, each at most %(size)s.")
        % {"count": MAX_PHOTOS, "size": filesizeformat(settings.UPLOAD_MAX_BYTES)},
    )
    online_link = forms.URLField(
        label=gettext_lazy("online link"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("For an activity held online: the meeting or live-stream address."),
    )
    # A random token per opened form: posting the same form twice saves one activity.
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = ["organization", "type", "date", "hours", "theme_parts", "topic", "place", "online_link", "summary"]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "topic": {"required": gettext_lazy("Give the topic of the activity, e.g. 学习党的二十届四中全会精神.")},
            "date": {"required": gettext_lazy("Give the date of the activity (year-month-day).")},
            "organization": {
                "required": gettext_lazy("Choose the organization that held the activity."),
                "invalid_choice": gettext_lazy(
                    "That organization is not one you may record for. Choose one from the list."
                ),
            },
            "type": {"required": gettext_lazy("Choose the type of activity.")},
            "hours": {"invalid": gettext_lazy("Give the length in hours as a number, e.g. 1.5.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []  # the page puts one submit button after the attendance list
        holders = activity_holders(user)
        self.fields["organization"].queryset = holders
        self.fields["organization"].widget.attrs.update(
            {
                "hx-get": reverse("activities:roster"),
                "hx-target": "#roster",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        if not self.instance.pk:
            self.initial.setdefault("submission", uuid.uuid4().hex)
            if not self.initial.get("organization") and holders.filter(pk=user.organization_id).exists():
                self.initial["organization"] = user.organization_id
        self.fields["hours"].widget.attrs.update({"step": "0.5", "min": "0.5", "max": "24", "inputmode": "decimal"})


class RosterQueryForm(forms.Form):
    """The attendance list's query string: the organization chosen in the activity form and, when editing, the
    activity. Each is an id the user may see, checked like any posted id."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none())
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False)

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        self.fields["organization"].queryset = activity_holders(user)
        self.fields["activity"].queryset = Activity.objects.visible_to(user)


STATUS_FIELD = re.compile(r"^att-(\d{1,30})$")  # longer digit runs are no id, and int() refuses 4,300 digits


class AttendanceForm(forms.Form):
    """One radio group per member, named att-<member id>: present / online / excused / absent, or nothing.

    The listed members are the holding organization's own (and anyone already recorded); others the user may
    see can be added by search. An id posted for a member the user may not see is refused, not saved.
    """

    def __init__(
        self, data: Any = None, *, user: User, organization: Organization | None, activity: Activity | None = None
    ) -> None:
        super().__init__(data)
        self.user = user
        visible = Member.objects.visible_to(user)
        recorded = {}
        if activity is not None and activity.pk:
            recorded = dict(activity.attendances.values_list("member_id", "status"))
        roster_ids: list[int] = []
        if organization is not None:
            # A very large organization (a general branch of thousands) lists its first members by name only;
            # the rest are found by search. Recorded and posted members are always listed.
            roster_ids = list(
                visible.filter(Q(home_branch=organization) | Q(flowing_org=organization), standing=Standing.NORMAL)
                .order_by("name", "pk")
                .values_list("pk", flat=True)[: ROSTER_LIMIT + 1]
            )
        self.roster_truncated = len(roster_ids) > ROSTER_LIMIT
        self.roster_limit = ROSTER_LIMIT
        wanted = set(recorded) | set(roster_ids[:ROSTER_LIMIT])
        posted: set[int] = set()
        if data is not None:
            posted = {int(match[1]) for key in data if (match := STATUS_FIELD.match(key))}
            wanted |= posted
        members = list(visible.filter(pk__in=wanted).select_related("home_branch", "flowing_org"))
        self.members = members
        self.refused = sorted(posted - {member.pk for member in members})
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for member in members:
            self.fields[f"att-{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=choices, required=False, widget=forms.RadioSelect
            )
            self.initial[f"att-{member.pk}"] = recorded.get(member.pk, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.refused:
            raise forms.ValidationError(
                ngettext(
                    "%(count)d person in the attendance list is not a member you may record. Reload the page and "
                    "pick attendees from the list or the search.",
                    "%(count)d people in the attendance list are not members you may record. Reload the page and "
                    "pick attendees from the list or the search.",
                    len(self.refused),
                )
                % {"count": len(self.refused)},
                code="out_of_scope",
            )
        return cleaned

    def rows(self) -> list[tuple[Member, Any]]:
        """(member, bound radio field) for the template, the holding organization's members first by name."""
        return [(member, self[f"att-{member.pk}"]) for member in sorted(self.members, key=lambda m: (m.name, m.pk))]

    def statuses(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data.get(f"att-{member.pk}", "") for member in self.members}


class RedPackageForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    rows = (
        ("organization",),
        ("items",),
        ("sent_on", "channel", "tracking_number"),
        ("signed_on",),
        ("note",),
    )

    class Meta:
        model = RedPackage
        fields = ["organization", "items", "sent_on", "channel", "tracking_number", "signed_on", "note"]
        widgets = {
            "sent_on": DateInput(),
            "signed_on": DateInput(),
            "items": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "items": {"required": gettext_lazy("List what the package contains, e.g. 党章、学习读本.")},
            "sent_on": {"required": gettext_lazy("Give the date the package was sent or handed over.")},
            "organization": {"required": gettext_lazy("Choose the organization that sent it.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = activity_holders(user)
        if (
            not self.initial.get("organization")
            and self.fields["organization"].queryset.filter(pk=user.organization_id).exists()
        ):
            self.initial["organization"] = user.organization_id
        self.fields["organization"].error_messages["invalid_choice"] = _(
            "That organization is not one you may record for. Choose one from the list."
        )
