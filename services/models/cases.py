"""Services and contribution: the cross-province service catalog (跨省通办事项), service cases (服务记录),
recognitions (表彰), representative posts (两代表一委员) and hometown projects (四个一 / 引雁回流)."""

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

from lanshan_party.scoping import within_scope, within_subtree
from members.models import Member
from organizations.models import Organization

if TYPE_CHECKING:
    from lanshan_party.models import User

# The Party was founded in 1921: no recognition or post of ours is older.
EARLIEST_YEAR = 1921

NEGATIVE_AMOUNT = _("The amount cannot be negative. Enter 0 or more, in yuan.")
NEGATIVE_INVESTMENT = _("The investment cannot be negative. Enter 0 or more, in units of 10,000 yuan.")


def _this_year() -> int:
    return timezone.localdate().year


class ReadableByAllQuerySet(models.QuerySet):
    """Reference data every signed-in user may read."""

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


class ServiceCaseQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "ServiceCaseQuerySet":
        """Cases rendered by an organization in the user's subtree."""
        return within_scope(self, user, "organization")

    def in_subtree(self, path: str) -> "ServiceCaseQuerySet":
        return within_subtree(self, path, "organization")

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
        return self.member.name if self.member_id else self.beneficiary_name

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


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class MemberTiedQuerySet(models.QuerySet):
    """Rows about one member: visible where the member is."""

    def visible_to(self, user: "User") -> Any:
        return within_scope(self, user, "member__home_branch", "member__flowing_org")

    def in_subtree(self, path: str) -> Any:
        return within_subtree(self, path, "member__home_branch", "member__flowing_org")


class RecognitionQuerySet(MemberTiedQuerySet):
    def count_by_level(self, year: int | None = None) -> dict[str, int]:
        """{level: number of recognitions}, as one grouped query."""
        qs = self.filter(year=year) if year else self
        return dict(qs.order_by().values_list("level").annotate(n=Count("id")))


def _check_year(errors: dict[str, Any], field: str, year: int | None) -> None:
    if year is not None and not EARLIEST_YEAR <= year <= _this_year():
        errors[field] = _("Enter a year between %(first)d and this year, %(now)d.") % {
            "first": EARLIEST_YEAR,
            "now": _this_year(),
        }


class Recognition(models.Model):
    """A recognition (表彰) a member received: an award, its level, the year and who awarded it."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="recognitions")
    award = models.CharField(_("award"), max_length=100, help_text=_("For example 优秀共产党员."))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), default=_this_year)
    awarded_by = models.CharField(_("awarding body"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.award}（{self.year}）"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_year(errors, "year", self.year)
        if errors:
            raise ValidationError(errors)


class PostKind(models.TextChoices):
    PARTY_CONGRESS = "party_congress", _("Party congress delegate")
    PEOPLES_CONGRESS = "peoples_congress", _("People's congress deputy")
    CPPCC = "cppcc", _("CPPCC member")


class RepresentativePostQuerySet(MemberTiedQuerySet):
    def current(self, year: int | None = None) -> "RepresentativePostQuerySet":
        """Posts held in the year (this year by default)."""
        year = year or _this_year()
        return self.filter(Q(end_year__isnull=True) | Q(end_year__gte=year), start_year__lte=year)

    def count_by_post(self) -> dict[str, int]:
        """{post: number held}, as one grouped query."""
        return dict(self.order_by().values_list("post").annotate(n=Count("id")))


class RepresentativePost(models.Model):
    """A representative post (两代表一委员) a member holds or held: Party congress delegate (党代表),
    people's congress deputy (人大代表) or CPPCC member (政协委员), at a level, for a term."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="representative_posts"
    )
    post = models.CharField(_("post"), max_length=20, choices=PostKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    term = models.CharField(_("term"), max_length=20, blank=True, help_text=_("For example 2021—2026."))
    start_year = models.PositiveSmallIntegerField(_("start year"), default=_this_year)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, help_text=_("Leave empty while the post is held.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RepresentativePostQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative post")
        verbose_name_plural = _("representative posts")
        ordering = ["-start_year", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_post_display()}（{self.get_level_display()}）"

    @property
    def is_current(self) -> bool:
        return self.end_year is None or self.end_year >= _this_year()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_year(errors, "start_year", self.start_year)
        if self.end_year is not None and self.start_year is not None and self.end_year < self.start_year:
            errors["end_year"] = _("The end year is before the start year. Correct one of them.")
        if self.post == PostKind.CPPCC and self.level == Level.TOWNSHIP:
            errors["level"] = _("Townships have no CPPCC committee. Choose the county level or above.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------- hometown projects


class ProjectKind(models.TextChoices):
    TALENT = "talent", _("Talent brought back")
    PROJECT = "project", _("Project introduced")
    INDUSTRY = "industry", _("Industry led")
    ENRICHMENT = "enrichment", _("People enriched")


class HometownProjectQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "HometownProjectQuerySet":
        return within_scope(self, user, "organization")

    def in_subtree(self, path: str) -> "HometownProjectQuerySet":
        return within_subtree(self, path, "organization")

    def in_year(self, year: int | None) -> "HometownProjectQuerySet":
        return self.filter(started_on__year=year) if year else self

    def totals(self, year: int | None = None) -> dict[str, Any]:
        """projects, investment (Decimal, 10,000 yuan), jobs_created and people_enriched, in one query."""
        figures = (
            self.in_year(year)
            .order_by()
            .aggregate(
                projects=Count("id"),
                investment=Sum("investment"),
                jobs_created=Sum("jobs_created"),
                people_enriched=Sum("people_enriched"),
            )
        )
        figures["investment"] = Decimal(str(figures["investment"] or 0)).quantize(Decimal("0.01"))
        figures["jobs_created"] = figures["jobs_created"] or 0
        figures["people_enriched"] = figures["people_enriched"] or 0
        return figures

    def count_by_kind(self, year: int | None = None) -> dict[str, int]:
        return dict(self.in_year(year).order_by().values_list("kind").annotate(n=Count("id")))


class HometownProject(models.Model):
    """A hometown contribution (四个一 / 引雁回流): a talent brought back, a project introduced, an industry
    led or people enriched at home, with the investment and jobs it brought and the members behind it."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="hometown_projects",
        help_text=_("The organization that brought the project home or follows it."),
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("members involved"), blank=True, related_name="hometown_projects"
    )
    investment = models.DecimalField(
        _("investment (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0), message=NEGATIVE_INVESTMENT)],
    )
    jobs_created = models.PositiveIntegerField(_("jobs created"), default=0)
    people_enriched = models.PositiveIntegerField(_("people enriched"), default=0)
    township = models.CharField(_("township at home"), max_length=30, blank=True)
    village = models.CharField(_("village / community at home"), max_length=30, blank=True)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HometownProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("hometown project")
        verbose_name_plural = _("hometown projects")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["organization", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment__gte=0),
                name="hometown_project_investment_not_negative",
                violation_error_message=NEGATIVE_INVESTMENT,
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:hometownproject_detail", args=[self.pk])

    @property
    def place(self) -> str:
        return f"{self.township}{self.village}"

    def clean(self) -> None:
        if self.started_on and self.started_on > timezone.localdate():
            raise ValidationError(
                {"started_on": _("The date is in the future. Record the project once it has started.")}
            )
