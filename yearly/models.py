"""The year's duties of members and organizations: individually recorded study (个人学习记录) that counts towards
training hours (学时), branch committee members (支部委员), and organization terms (换届)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from members.models import Member
from organizations.models import HOME_BRANCH_KINDS, Organization, OrgKind, OrgLevel

# Training hours a year (2019 党员教育管理工作条例): every member, and branch secretaries and committee members.
TARGET_HOURS = Decimal(32)
CADRE_TARGET_HOURS = Decimal(56)

# Days ahead at which a term's end is reminded, nearest last; the terms list counts "due" from the first.
TERM_REMINDER_DAYS = (90, 30)


class StudyKind(models.TextChoices):
    ONLINE_COURSE = "online_course", _("Online course")
    TRAINING_COURSE = "training_course", _("Training course")
    LECTURE = "lecture", _("Lecture or report")
    SELF_STUDY = "self_study", _("Self-study")
    OTHER = "other", _("Other")


class StudyRecordQuerySet(ScopedQuerySet):
    """Visible: study recorded by an organization of the user's subtree, or of a member the user looks after."""

    organization_fks = ("organization", "member__home_branch", "member__flowing_org")


class StudyRecord(models.Model):
    """A member's individually recorded study (个人学习记录): an online course, a training course away from home…,
    counted in the member's training hours (学时) of its year alongside the activities attended."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="study_records")
    organization = models.ForeignKey(
        Organization, verbose_name=_("recorded by organization"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("course or subject"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=StudyKind.choices, default=StudyKind.ONLINE_COURSE)
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StudyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["member", "date"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("yearly:studyrecord_list")

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("The date is in the future. Record the study once it has been done.")})


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization committee member")
    PROPAGANDA = "propaganda", _("Propaganda committee member")
    DISCIPLINE = "discipline", _("Discipline committee member")
    MEMBER = "member", _("Committee member")


class CommitteeMemberQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)

    def serving_in(self, start: datetime.date, end: datetime.date) -> "CommitteeMemberQuerySet":
        """Seats held on some day between start and end (both included)."""
        return self.filter(Q(until__isnull=True) | Q(until__gte=start), since__lte=end)


class CommitteeMember(models.Model):
    """A seat on an organization's committee (支部委员会 / 党委委员): who, which post, from when to when. Secretaries
    and committee members owe 56 training hours a year instead of 32."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="committee_seats"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="committee_seats"
    )
    role = models.CharField(_("post"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["organization__path", "role", "member__name"]
        indexes = [models.Index(fields=["member", "since"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("yearly:committeemember_list")

    def clean(self) -> None:
        errors = {}
        if self.since and self.until and self.until < self.since:
            errors["until"] = _("The seat would end before it begins. Give an end date after the start, or none.")
        if self.organization_id and self.organization.kind == OrgKind.PARTNER:
            errors["organization"] = _("Committees are recorded for our own organizations, not partner organizations.")
        if errors:
            raise ValidationError(errors)


def default_term_years(organization: Organization) -> int:
    """The regular term (2018 意见): village and community branches and Party committees (基层委员会) 5 years, general
    branches and branches 3."""
    if organization.kind in HOME_BRANCH_KINDS or organization.level == OrgLevel.COMMITTEE:
        return 5
    return 3


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class TermStatus(models.TextChoices):
    EXPIRED = "expired", _("Expired")
    WITHIN_30 = "30", _("Ends within 30 days")
    WITHIN_90 = "90", _("Ends within 90 days")
    RUNNING = "running", _("Running")


class TermQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)

    def current(self) -> "TermQuerySet":
        return self.filter(is_current=True)

    def ending_by(self, day: datetime.date) -> "TermQuerySet":
        return self.filter(ends_on__lte=day)

    def with_status(self, status: str, today: datetime.date | None = None) -> "TermQuerySet":
        today = today or timezone.localdate()
        if status == TermStatus.EXPIRED:
            return self.filter(ends_on__lt=today)
        if status == TermStatus.RUNNING:
            return self.filter(ends_on__gt=today + datetime.timedelta(days=TERM_REMINDER_DAYS[0]))
        return self.filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=int(status)))

    def due(self, today: datetime.date | None = None) -> "TermQuerySet":
        """Current terms expired or ending within 90 days (换届到期)."""
        today = today or timezone.localdate()
        return self.current().ending_by(today + datetime.timedelta(days=TERM_REMINDER_DAYS[0]))


class Term(models.Model):
    """An organization's term of office (届期): elected on `started_on` for `years`, possibly extended (延期) by at
    most a year. The latest recorded term is the current one; recording a new one is the election (换届)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="terms"
    )
    started_on = models.DateField(_("elected on"))
    years = models.PositiveSmallIntegerField(_("term (years)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    extended_until = models.DateField(
        _("extended until"),
        null=True,
        blank=True,
        help_text=_("Only when the election is postponed with approval: at most one year past the regular end."),
    )
    # The regular end and the day the term really ends (the extension, if any): columns, so lists filter in SQL.
    regular_end = models.DateField(_("regular end"), editable=False)
    ends_on = models.DateField(_("term ends"), editable=False, db_index=True)
    is_current = models.BooleanField(_("current term"), default=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["ends_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_current=True), name="one_current_term_per_organization"
            ),
            models.UniqueConstraint(fields=["organization", "started_on"], name="one_term_per_election_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.display_name} {self.started_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.fill_ends()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("yearly:term_list")

    def fill_ends(self) -> "Term":
        """Set the regular end and the real end from the start, length and extension (save does; bulk_create not)."""
        self.regular_end = add_years(self.started_on, self.years)
        self.ends_on = self.extended_until or self.regular_end
        return self

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.ends_on - (today or timezone.localdate())).days

    def status(self, today: datetime.date | None = None) -> str:
        days = self.days_left(today)
        if days < 0:
            return TermStatus.EXPIRED
        for threshold in reversed(TERM_REMINDER_DAYS):
            if days <= threshold:
                return TermStatus(str(threshold))
        return TermStatus.RUNNING

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.started_on and self.started_on > timezone.localdate():
            errors["started_on"] = _("The election day is in the future. Record the term once the election is held.")
        if self.organization_id and self.organization.kind == OrgKind.PARTNER:
            errors["organization"] = _("Terms are recorded for our own organizations, not partner organizations.")
        if self.started_on and self.years and self.extended_until:
            regular = add_years(self.started_on, self.years)
            if self.extended_until <= regular:
                errors["extended_until"] = _(
                    "An extension ends after the regular end of the term (%(end)s). Give a later date, or leave it "
                    "empty."
                ) % {"end": f"{regular:%Y-%m-%d}"}
            elif self.extended_until > add_years(regular, 1):
                errors["extended_until"] = _(
                    "A term may be extended by one year at most, to %(latest)s. Hold the election by then, or give an "
                    "earlier date."
                ) % {"latest": f"{add_years(regular, 1):%Y-%m-%d}"}
        if errors:
            raise ValidationError(errors)
