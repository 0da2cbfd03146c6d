"""What a destination partner organization (流入地党组织) reports back about a member it looks after: attendance at its
own activities, and the yearly democratic evaluation (民主评议) with a note on conduct. Both show on the member's page
at home."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from members.models.members import Member
from organizations.models import Organization


class EvaluationGrade(models.TextChoices):
    """The four grades of the yearly democratic evaluation (2019 党员教育管理工作条例)."""

    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class PartnerRecordQuerySet(ScopedQuerySet):
    """Visible: to the partner organization that recorded it, and to whoever sees the member at home or away."""

    organization_fks = ("partner_org", "member__home_branch", "member__flowing_org")


class PartnerAttendance(models.Model):
    """A member's attendance at one activity of the destination partner organization (流入地组织生活记录)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="partner_attendance"
    )
    partner_org = models.ForeignKey(
        Organization,
        verbose_name=_("destination partner organization"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "partner"},
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=120)
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        "lanshan_party.User", verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartnerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance at the destination")
        verbose_name_plural = _("attendance at the destination")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("The date is in the future. Record activities that have taken place.")})


class PartnerEvaluation(models.Model):
    """The yearly democratic evaluation (民主评议党员) held at the destination: one grade per member per year, with a
    note on the member's conduct."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="partner_evaluations"
    )
    partner_org = models.ForeignKey(
        Organization,
        verbose_name=_("destination partner organization"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "partner"},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("evaluation grade"), max_length=12, choices=EvaluationGrade.choices)
    conduct = models.TextField(_("conduct"), blank=True)
    recorded_by = models.ForeignKey(
        "lanshan_party.User", verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartnerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("democratic evaluation at the destination")
        verbose_name_plural = _("democratic evaluations at the destination")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_partner_evaluation_per_member_per_year",
                violation_error_message=_(
                    "This member already has an evaluation for that year. Correct the year, or leave the one there."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_grade_display()}"

    def clean(self) -> None:
        if self.year and not 2000 <= self.year <= timezone.localdate().year:
            raise ValidationError(
                {"year": _("Give a year from 2000 to this year: evaluations are recorded once they are held.")}
            )
