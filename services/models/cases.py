"""The cross-province service catalog (跨省通办事项) and service cases (服务记录) with their totals."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from members.models import Member
from organizations.models import Organization

if TYPE_CHECKING:
    from lanshan_party.models import User

NEGATIVE_AMOUNT = _("The amount cannot be negative. Enter 0 or more, in yuan.")


class ReadableByAllQuerySet(models.QuerySet):
    """Reference data every signed-in user may read: tied to no organization, so not a ScopedQuerySet."""

    def visible_to(self, user: "User") -> Any:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self


# ---------------------------------------------------------------- the service catalog


class ServiceCategory(models.TextChoices):
    PENSION = "pension", _("Pension insurance")
    SOCIAL_SECURITY = "social_security", _("Social security")
    MEDICAL = "medical", _("Medical insurance")
    HOUSEHOLD = "household", _("Household registration and ID card")
    HOUSING_FUND = "housing_fund", _("Housing provident fund")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    FAMILY = "family", _("Marriage, birth and family")
    TRANSPORT = "transport", _("Vehicles and driving")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")


class ServiceItemQuerySet(ReadableByAllQuerySet):
    def active(self) -> "ServiceItemQuerySet":
        return self.filter(is_active=True)


class ServiceItem(models.Model):
    """A cross-province service item (跨省通办事项) from the county's published catalog: a matter a flowing
    organization helps members handle without travelling home (e.g. 社保生存认证, 异地就医备案)."""

    name = models.CharField(_("item name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    description = models.TextField(
        _("how to apply"), blank=True, help_text=_("Where and how the item is handled, and what to bring.")
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to withdraw the item from the catalog and from forms.")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Smaller numbers come first in the catalog.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("cross-province service item")
        verbose_name_plural = _("cross-province service catalog")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- service cases


class CaseKind(models.TextChoices):
    CROSS_PROVINCE = "cross_province", _("Cross-province service")
    MEDIATION = "mediation", _("Dispute mediation")
    LABOUR_DISPUTE = "labour_dispute", _("Labour dispute")
    WAGE_RECOVERY = "wage_recovery", _("Wage recovery")
    EMPLOYMENT = "employment", _("Employment help")
    HARDSHIP = "hardship", _("Hardship aid")
    OTHER = "other", _("Other")


# Whose amount counts as wages recovered, and which cases count as disputes mediated.
WAGE_KINDS = (CaseKind.WAGE_RECOVERY, CaseKind.LABOUR_DISPUTE)
DISPUTE_KINDS = (CaseKind.MEDIATION, CaseKind.LABOUR_DISPUTE)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    UNRESOLVED = "unresolved", _("Not resolved")


class ServiceCaseQuerySet(ScopedQuerySet):
    """Visible: cases rendered by an organization in the user's subtree."""

    organization_fks = ("organization",)

    def in_year(self, year: int | None) -> "ServiceCaseQuerySet":
        return self.filter(date__year=year) if year else self

    def totals(self, year: int | None = None) -> dict[str, Any]:
        """The headline figures of these cases, in one query.

        cases, disputes_mediated, jobs_found and people_helped are ints; wages_recovered and aid_paid
        are Decimals in yuan. Wages count from wage-recovery and labour-dispute cases, jobs from
        employment help (its people helped are the people placed in jobs)."""
        figures = (
            self.in_year(year)
            .order_by()
            .aggregate(
                cases=Count("id"),
                wages_recovered=Sum("amount", filter=Q(kind__in=WAGE_KINDS)),
                aid_paid=Sum("amount", filter=Q(kind=CaseKind.HARDSHIP)),
                jobs_found=Sum("people_helped", filter=Q(kind=CaseKind.EMPLOYMENT)),
                disputes_mediated=Count("id", filter=Q(kind__in=DISPUTE_KINDS)),
                people_helped=Sum("people_helped"),
            )
        )
        # SUM over no rows is NULL; the figures are zero then. SQLite may hand back a float for decimals.
        for key in ("wages_recovered", "aid_paid"):
            figures[key] = Decimal(str(figures[key] or 0)).quantize(Decimal("0.01"))
        for key in ("jobs_found", "people_helped"):
            figures[key] = figures[key] or 0
        return figures

    def count_by_kind(self, year: int | None = None) -> dict[str, int]:
        """{kind: number of cases}, as one grouped query; kinds without cases are left out."""
        return dict(self.in_year(year).order_by().values_list("kind").annotate(n=Count("id")))


class ServiceCase(models.Model):
    """A service case (服务记录): a service an organization rendered to a member or a fellow townsperson
    (老乡) — a cross-province matter, a mediation, wages recovered, a job found, hardship aid paid."""

    kind = models.CharField(_("kind of service"), max_length=20, choices=CaseKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="service_cases",
        help_text=_("The organization that rendered the service."),
    )
    service_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("cross-province service item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("Only for cross-province services."),
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_cases",
    )
    beneficiary_name = models.CharField(
        _("fellow townsperson served"),
        max_length=50,
        blank=True,
        help_text=_("When the person served is not a Party member: their name. Leave empty when a member is chosen."),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    description = models.TextField(_("what was done"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.RESOLVED)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message=NEGATIVE_AMOUNT)],
        help_text=_("Wages recovered for wage recovery and labour disputes; aid paid for hardship aid."),
    )
    people_helped = models.PositiveIntegerField(
        _("people helped"), default=1, help_text=_("For employment help: the people placed in jobs.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(beneficiary_name=""))
                | (Q(member__isnull=True) & ~Q(beneficiary_name="")),
                name="service_case_one_beneficiary",
                violation_error_message=_(
                    "Choose the member served or type the name of the townsperson served: exactly one of them."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="service_case_amount_not_negative",
                violation_error_message=NEGATIVE_AMOUNT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.beneficiary} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("services:servicecase_detail", args=[self.pk])

    @property
    def beneficiary(self) -> str:
        return self.member.name if self.member is not None else self.beneficiary_name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.beneficiary_name = " ".join(self.beneficiary_name.split())
        if self.member_id and self.beneficiary_name:
            errors["beneficiary_name"] = _(
                "A member is chosen and a name is typed. Keep one: clear the name if the member was served."
            )
        elif not self.member_id and not self.beneficiary_name:
            errors["member"] = _(
                "Choose the member who was served, or type the name of the fellow townsperson "
                "if they are not a Party member."
            )
        if self.kind == CaseKind.CROSS_PROVINCE and not self.service_item_id:
            errors["service_item"] = _("Choose the cross-province service item that was handled.")
        elif self.kind and self.kind != CaseKind.CROSS_PROVINCE and self.service_item_id:
            errors["service_item"] = _(
                "A service item belongs to cross-province services only. Clear it, or change the kind of service."
            )
        if self.kind == CaseKind.WAGE_RECOVERY and self.amount is None:
            errors["amount"] = _("Enter the wages recovered, in yuan (0 if nothing has been recovered yet).")
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("The date is in the future. Record the service once it has been rendered.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------- recognitions and representative posts
