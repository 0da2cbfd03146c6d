"""Contribution: recognitions (表彰), representative posts (两代表一委员) and hometown projects (四个一 / 引雁回流)."""

from decimal import Decimal
from typing import Any

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

# The Party was founded in 1921: no recognition or post of ours is older.
EARLIEST_YEAR = 1921

NEGATIVE_INVESTMENT = _("The investment cannot be negative. Enter 0 or more, in units of 10,000 yuan.")


def _this_year() -> int:
    return timezone.localdate().year


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class MemberTiedQuerySet(ScopedQuerySet):
    """Rows about one member: visible where the member is."""

    organization_fks = ("member__home_branch", "member__flowing_org")


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


class HometownProjectQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)

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
