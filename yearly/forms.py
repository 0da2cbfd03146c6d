"""Forms of the year's duties: a member's study, a committee seat, an organization's term. Messages say in Chinese
what is wrong and what to do."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin, StaleEditMixin
from lanshan_party.models import User
from organizations.forms import DateInput
from organizations.models import Organization, OrgKind
from yearly.models import CommitteeMember, StudyRecord, Term

NOT_YOURS = gettext_lazy("That organization is not one of yours. Choose one from the list.")


def our_organizations(user: User) -> Any:
    """Active organizations of our own tree in the user's subtree (the view cuts every dropdown to scope as well)."""
    return Organization.objects.visible_to(user).active().in_tree().exclude(kind=OrgKind.PARTNER)


class MemberRecordForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    """A record about one member: the organization is one of the user's, by default the one answering for them."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = our_organizations(user)
        field.error_messages["invalid_choice"] = NOT_YOURS
        member = self.instance.member
        if not self.instance.pk:
            for candidate in (member.flowing_org_id, member.home_branch_id, user.organization_id):
                if candidate and field.queryset.filter(pk=candidate).exists():
                    self.initial["organization"] = candidate
                    break


class StudyRecordForm(MemberRecordForm):
    rows = (("date", "kind", "hours"), ("title",), ("organization",))

    class Meta:
        model = StudyRecord
        fields = ["date", "kind", "hours", "title", "organization"]
        widgets = {"date": DateInput()}
        error_messages = {
            "date": {"required": gettext_lazy("Give the day the study was done (or finished).")},
            "title": {"required": gettext_lazy("Name the course or subject, e.g. 学习强国专题课.")},
            "hours": {
                "required": gettext_lazy("Give the hours studied, e.g. 2 or 1.5."),
                "invalid": gettext_lazy("Give the hours as a number, e.g. 2 or 1.5."),
                "min_value": gettext_lazy("Give at least half an hour (0.5)."),
                "max_value": gettext_lazy("Give at most 100 hours in one record; split a longer course."),
                "max_decimal_places": gettext_lazy("Give the hours to one decimal place, e.g. 1.5."),
                "max_digits": gettext_lazy("Give at most 100 hours in one record; split a longer course."),
            },
            "organization": {"required": gettext_lazy("Choose the organization recording it.")},
        }


class CommitteeMemberForm(MemberRecordForm):
    rows = (("organization", "role"), ("since", "until"))

    class Meta:
        model = CommitteeMember
        fields = ["organization", "role", "since", "until"]
        widgets = {"since": DateInput(), "until": DateInput()}
        error_messages = {
            "since": {"required": gettext_lazy("Give the day the member took the seat (the election day).")},
            "organization": {"required": gettext_lazy("Choose the organization whose committee it is.")},
        }
        help_texts = {"until": gettext_lazy("Leave empty while the member holds the seat.")}


class TermForm(StaleEditMixin, CrispyFormMixin, forms.ModelForm):
    """A new term (the election): the organization, the election day, its length (by default the regulation's for
    the kind of organization) and, rarely, an approved extension."""

    rows = (("organization",), ("started_on", "years", "extended_until"), ("note",))

    class Meta:
        model = Term
        fields = ["organization", "started_on", "years", "extended_until", "note"]
        widgets = {
            "started_on": DateInput(),
            "extended_until": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "organization": {"required": gettext_lazy("Choose the organization that held the election.")},
            "started_on": {"required": gettext_lazy("Give the day of the election (the members' meeting).")},
            "years": {
                "invalid": gettext_lazy("Give the term in whole years, e.g. 3 or 5."),
                "min_value": gettext_lazy("A term is 1 to 5 years: branches 3, village and community branches 5."),
                "max_value": gettext_lazy("A term is 1 to 5 years: branches 3, village and community branches 5."),
            },
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = our_organizations(user)
            self.fields["organization"].error_messages["invalid_choice"] = NOT_YOURS
        self.fields["years"].required = False
        self.fields["years"].help_text = _(
            "Leave empty for the regular term: 5 years for village and community branches and Party committees, 3 for "
            "general branches and branches."
        )


class TermUpdateForm(TermForm):
    """Correcting the current term: its length, an approved extension, the note (a new election is a new term)."""

    rows = (("years", "extended_until"), ("note",))

    class Meta(TermForm.Meta):
        fields = ["years", "extended_until", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["years"].required = True


class ComplianceForm(forms.Form):
    """The compliance page's filters (GET): year, organization subtree, and the width of the period columns."""

    year = forms.TypedChoiceField(label=gettext_lazy("year"), coerce=int, required=False)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("organization"), queryset=Organization.objects.none(), required=False
    )
    period = forms.ChoiceField(
        label=gettext_lazy("periods"),
        required=False,
        choices=[
            ("quarter", gettext_lazy("Quarters")),
            ("month", gettext_lazy("Months")),
            ("year", gettext_lazy("The whole year")),
        ],
    )

    def __init__(self, *args: Any, user: User, years: list[tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
        self.fields["organization"].queryset = our_organizations(user)
        self.fields["organization"].error_messages["invalid_choice"] = NOT_YOURS
