"""Party dues (党费): each member's yearly standard, the payments and the months they cover, and reductions or
exemptions approved one level up.

Every paid (or exempted) month is one DuesMonth row, unique per member and month: a month cannot be paid twice,
wherever it is paid (the home branch or, with an activity certificate, the flowing organization at the destination).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dues import rates
from lanshan_party.scoping import ScopedQuerySet
from members.models import Member
from organizations.models import Organization, OrgKind

# Back pay (补交) of at most this many months before the month of payment.
BACK_PAY_MONTHS = 6
# Months behind at which the secretary is reminded, and at which the member joins the six-month warnings.
ARREARS_LEVELS = (3, 6)


def period_of(year: int, month: int) -> int:
    """A month as one integer (months since year 0), so ranges and differences of months are plain arithmetic."""
    return year * 12 + month - 1


def month_of(period: int) -> tuple[int, int]:
    year, month = divmod(period, 12)
    return year, month + 1


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


class Basis(models.TextChoices):
    EMPLOYED = rates.EMPLOYED, _("On the job (monthly after-tax pay)")
    RETIRED = rates.RETIRED, _("Retired (monthly pension)")
    FARMER = rates.FARMER, _("Farmer")
    STUDENT = rates.STUDENT, _("Student")
    UNEMPLOYED = rates.UNEMPLOYED, _("Unemployed")
    LOW_INCOME = rates.LOW_INCOME, _("On minimum living allowance (低保)")


class PaidBy(models.TextChoices):
    SELF = "self", _("The member")
    PROXY = "proxy", _("Paid on their behalf")


class ReliefKind(models.TextChoices):
    REDUCE = "reduce", _("Reduction")
    EXEMPT = "exempt", _("Exemption")


class ReliefStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DuesStandardQuerySet(ScopedQuerySet):
    """Visible: standards of members whose home branch (copied onto the row) is in the user's subtree."""

    organization_fks = ("home_branch",)


class DuesStandard(models.Model):
    """A member's dues standard (党费标准) for one year: the basis, the income it is computed from, the monthly amount.
    Once confirmed it is locked for the year; later changes only through a reduction or exemption (DuesRelief)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_standards"
    )
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    monthly_income = models.DecimalField(
        _("monthly after-tax income or pension (yuan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        max_digits=10,
        decimal_places=2,
    )
    computed_amount = models.DecimalField(
        _("amount by the rates (yuan)"), editable=False, max_digits=10, decimal_places=2
    )
    manual_amount = models.DecimalField(
        _("amount set by hand (yuan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        max_digits=10,
        decimal_places=2,
    )
    manual_reason = models.CharField(_("reason for the amount set by hand"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        "lanshan_party.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DuesStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues standard")
        verbose_name_plural = _("dues standards")
        ordering = ["-year", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_dues_standard_per_member_and_year",
                violation_error_message=_(
                    "This member already has a dues standard for this year. Open it and change it there."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.member_id and not self.home_branch_id:
            self.home_branch_id = self.member.home_branch_id
        if self.basis and self.computed_amount is None:
            self.compute()
        super().save(*args, **kwargs)

    @property
    def amount(self) -> Decimal:
        """The monthly amount due: the one set by hand (with its reason), else the one by the rates."""
        return self.manual_amount if self.manual_amount is not None else self.computed_amount

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def compute(self) -> None:
        income = self.monthly_income if self.basis in rates.INCOME_BASES else None
        self.computed_amount = rates.monthly_dues(self.basis, income)

    def clean(self) -> None:
        errors = {}
        if self.basis in rates.INCOME_BASES and self.monthly_income is None:
            errors["monthly_income"] = _(
                "Give the monthly after-tax pay (on the job) or pension (retired) in yuan: the amount is a share of it."
            )
        if self.manual_amount is not None and not self.manual_reason.strip():
            errors["manual_reason"] = _(
                "An amount set by hand needs its reason (e.g. the branch meeting's decision). Give it, or clear the "
                "amount to use the official rates."
            )
        if errors:
            raise ValidationError(errors)
        if self.basis:
            self.compute()


class DuesPaymentQuerySet(ScopedQuerySet):
    """Visible: payments of members of the user's subtree (home branch copied onto the row), or paid to an
    organization of it (a flowing organization collecting at the destination)."""

    organization_fks = ("home_branch", "paid_at")


class DuesPayment(models.Model):
    """One payment of dues (党费缴纳) for one or more months, where it was paid and by whom."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_payments")
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    paid_at = models.ForeignKey(
        Organization, verbose_name=_("paid at"), on_delete=models.PROTECT, related_name="dues_collected"
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (yuan)"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=10, decimal_places=2
    )
    paid_by = models.CharField(_("paid by"), max_length=8, choices=PaidBy.choices, default=PaidBy.SELF)
    proxy_name = models.CharField(_("name of who paid on their behalf"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "lanshan_party.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DuesPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["-paid_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.paid_on:%Y-%m-%d} · {self.amount} 元"

    def months_display(self) -> str:
        return "、".join(month_label(row.year, row.month) for row in self.months.all())


class DuesMonthQuerySet(ScopedQuerySet):
    organization_fks = ("home_branch", "paid_at")

    def covering(self, year: int) -> "DuesMonthQuerySet":
        return self.filter(year=year)


class DuesMonth(models.Model):
    """One month of one member's dues settled: paid by a payment, or exempted by an approved relief."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_months")
    payment = models.ForeignKey(
        DuesPayment, verbose_name=_("payment"), on_delete=models.CASCADE, null=True, blank=True, related_name="months"
    )
    relief = models.ForeignKey(
        "DuesRelief", verbose_name=_("exemption"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    period = models.PositiveIntegerField(editable=False, db_index=True)
    amount = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2)
    home_branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", editable=False)
    paid_at = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = DuesMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues month")
        verbose_name_plural = _("dues months")
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "month"],
                name="one_dues_month_per_member",
                violation_error_message=_(
                    "Dues for this month are already paid (or exempted); a month cannot be paid twice. Leave it out."
                ),
            ),
            models.CheckConstraint(
                condition=Q(payment__isnull=False) | Q(relief__isnull=False), name="dues_month_paid_or_exempted"
            ),
        ]
        indexes = [models.Index(fields=["member", "period"])]

    def __str__(self) -> str:
        return f"{self.member} · {month_label(self.year, self.month)}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.period = period_of(self.year, self.month)
        super().save(*args, **kwargs)


class DuesReliefQuerySet(ScopedQuerySet):
    """Visible: reliefs of members of the user's subtree, or requested by an organization of it."""

    organization_fks = ("home_branch", "organization")

    def approved(self) -> "DuesReliefQuerySet":
        return self.filter(status=ReliefStatus.APPROVED)


def approving_organization(organization: Organization) -> Organization | None:
    """One level up (上一级党组织): the township for a village or community branch; the county committee for a
    township or a flowing organization."""
    if organization.kind in (OrgKind.VILLAGE, OrgKind.COMMUNITY):
        return organization.parent
    if organization.kind in (OrgKind.TOWNSHIP, OrgKind.FLOWING):
        county = organization.parent
        while county is not None and county.kind != OrgKind.COUNTY:
            county = county.parent
        return county
    return None


class DuesRelief(models.Model):
    """A reduction or exemption of dues (减免党费) for some months of a year, requested by the member's branch and
    approved (or refused) one level up. An approved one sets what those months cost."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_reliefs")
    home_branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", editable=False)
    organization = models.ForeignKey(
        Organization, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    approver = models.ForeignKey(
        Organization, verbose_name=_("to be approved by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReliefKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    from_month = models.PositiveSmallIntegerField(
        _("from month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    to_month = models.PositiveSmallIntegerField(_("to month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    reduced_amount = models.DecimalField(
        _("reduced monthly amount (yuan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        max_digits=10,
        decimal_places=2,
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReliefStatus.choices, default=ReliefStatus.REQUESTED, editable=False
    )
    requested_by = models.ForeignKey(
        "lanshan_party.User", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        "lanshan_party.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DuesReliefQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues reduction or exemption")
        verbose_name_plural = _("dues reductions and exemptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} {self.months_display()}"

    def months_display(self) -> str:
        return f"{month_label(self.year, self.from_month)}–{month_label(self.year, self.to_month)}"

    def covers(self, year: int, month: int) -> bool:
        return self.year == year and self.from_month <= month <= self.to_month

    def clean(self) -> None:
        errors = {}
        if self.from_month and self.to_month and self.from_month > self.to_month:
            errors["to_month"] = _("The last month is before the first. Give the months in order.")
        if self.kind == ReliefKind.REDUCE and self.reduced_amount is None:
            errors["reduced_amount"] = _("Give the reduced monthly amount in yuan, or ask for an exemption instead.")
        if self.kind == ReliefKind.EXEMPT and self.reduced_amount is not None:
            errors["reduced_amount"] = _("An exemption has no amount: leave it empty, or ask for a reduction.")
        if errors:
            raise ValidationError(errors)


def first_of(period: int) -> datetime.date:
    year, month = month_of(period)
    return datetime.date(year, month, 1)
