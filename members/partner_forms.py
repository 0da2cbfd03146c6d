"""The destination partner's forms: accept or refuse a report-in, record attendance at its own activities and the
yearly democratic evaluation; and the choice of partner organization on an outflow."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin
from members.models import EvaluationGrade, PartnerAttendance, PartnerEvaluation
from organizations.forms import DateInput
from organizations.models import Agreement, Organization


def agreement_partners(flowing: QuerySet | list[Organization] | None = None) -> QuerySet:
    """Destination partner organizations of the agreements in force covering these flowing organizations (all
    flowing organizations when None)."""
    agreements = Agreement.objects.in_force()
    if flowing is not None:
        agreements = agreements.filter(covered_organizations__in=flowing)
    return Organization.objects.partners().active().filter(partner_agreements__in=agreements).distinct()


class AcceptReportInForm(CrispyFormMixin, forms.Form):
    """The destination records that the member reported in (已报到) and where they join organizational life."""

    submit_label = gettext_lazy("Accept the report-in")
    rows = (("on", "receiving_org_name"), ("note",))

    on = forms.DateField(
        label=gettext_lazy("reported on"),
        widget=DateInput(),
        error_messages={"required": gettext_lazy("Give the day the member reported in.")},
    )
    receiving_org_name = forms.CharField(
        label=gettext_lazy("local branch joined for organizational life"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("The branch or organization at the destination; leave empty for your own organization."),
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RefuseReportInForm(CrispyFormMixin, forms.Form):
    """The destination refuses the report-in and says why; the member's organization is reminded."""

    submit_label = gettext_lazy("Refuse the report-in")
    on = forms.DateField(label=gettext_lazy("date"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Say why the report-in is refused, so the member's organization can act on it.")
        },
    )


class PartnerAttendanceForm(CrispyFormMixin, forms.ModelForm):
    rows = (("date", "attended"), ("title",))

    class Meta:
        model = PartnerAttendance
        fields = ["date", "title", "attended"]
        widgets = {"date": DateInput()}
        error_messages = {
            "date": {"required": gettext_lazy("Give the date of the activity.")},
            "title": {"required": gettext_lazy("Give the activity's title, e.g. 主题党日.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].help_text = _("Untick when the member was absent.")


class PartnerEvaluationForm(CrispyFormMixin, forms.ModelForm):
    rows = (("year", "grade"), ("conduct",))

    class Meta:
        model = PartnerEvaluation
        fields = ["year", "grade", "conduct"]
        widgets = {"conduct": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "year": {"required": gettext_lazy("Give the year of the evaluation.")},
            "grade": {"required": gettext_lazy("Choose the grade: 优秀, 合格, 基本合格 or 不合格.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "---------"), *EvaluationGrade.choices]
        self.fields["conduct"].help_text = _("How the member took part and conducted themselves at the destination.")
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)

    def validate_unique(self) -> None:
        """Recording a year again corrects that year's evaluation (the view saves onto it): not an error here."""
