"""Census campaigns (摸排 / 三找行动) and their tasks: one member to verify each, and what was found."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from members.models.members import Member
from organizations.models import Organization

if TYPE_CHECKING:
    from lanshan_party.models import User


class Holiday(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    OTHER = "other", _("No holiday")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Under way")
    CLOSED = "closed", _("Closed")


class CensusCampaignQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "CensusCampaignQuerySet":
        """County-level users see every campaign; others those whose scope reaches their organization.

        Not a ScopedQuerySet: a campaign covering the county reaches a branch secretary too, so the match is on
        the covered organizations' ancestors as well as their subtree, through the M2M table."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        path = user.scope_path
        if path is None:
            return self
        if user.organization_id is None:
            return self.none()
        ancestors = [f"/{'/'.join(path.strip('/').split('/')[:depth])}/" for depth in range(1, path.count("/"))]
        reaching = Q(organizations__path__in=ancestors) | Q(organizations__path__startswith=path)
        return self.filter(pk__in=CensusCampaign.objects.filter(reaching).values("pk"))


class CensusCampaign(models.Model):
    """A census campaign (摸排 / 三找行动): every member in the covered organizations gets a task to verify."""

    name = models.CharField(_("campaign name"), max_length=100)
    holiday = models.CharField(_("holiday"), max_length=16, choices=Holiday.choices, default=Holiday.OTHER)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("deadline"))
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations covered"),
        related_name="census_campaigns",
        help_text=_("Members of these organizations and everything under them get a task."),
    )
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    note = models.TextField(_("instructions"), blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "lanshan_party.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CensusCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("census campaign")
        verbose_name_plural = _("census campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:campaign_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _("The deadline is before the start. Give a deadline on or after %(start)s.")
                    % {"start": self.starts_on.isoformat()}
                }
            )

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Home visit")
    HOMECOMING = "homecoming", _("Met on the trip home")
    FELLOW = "fellow", _("Through a fellow townsperson")


class CensusStatus(models.TextChoices):
    NORMAL = "normal", _("Normal")
    UPDATED = "updated", _("Information updated")
    LOST = "lost", _("Lost contact")
    RETURNED = "returned", _("Returned home")


class CensusTaskQuerySet(ScopedQuerySet):
    """Visible: tasks of members the user answers for, by the organization responsible at opening or the home
    branch."""

    organization_fks = ("organization", "home_branch")

    def answered(self) -> "CensusTaskQuerySet":
        return self.filter(answered_at__isnull=False)

    def unanswered(self) -> "CensusTaskQuerySet":
        return self.filter(answered_at__isnull=True)

    def progress(self) -> dict[str, int]:
        """tasks, answered, contacted, lost and returned, in one query."""
        return self.aggregate(
            tasks=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            contacted=Count("id", filter=Q(contacted=True)),
            lost=Count("id", filter=Q(result=CensusStatus.LOST)),
            returned=Count("id", filter=Q(result=CensusStatus.RETURNED)),
        )


class CensusTask(models.Model):
    """One member to verify in a campaign (摸排任务), and what the responsible secretary found."""

    campaign = models.ForeignKey(
        CensusCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="tasks"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="census_tasks")
    # Copied from the member when the campaign opens: who answers for the task, as indexed local columns.
    organization = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), on_delete=models.PROTECT, related_name="+"
    )
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+"
    )
    contacted = models.BooleanField(_("contacted"), null=True)
    channel = models.CharField(_("how"), max_length=12, choices=ContactChannel.choices, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CensusStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CensusTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("census task")
        verbose_name_plural = _("census tasks")
        ordering = ["campaign", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="one_task_per_member_and_campaign")]
        indexes = [
            models.Index(fields=["campaign", "organization", "answered_at"]),
            models.Index(fields=["campaign", "home_branch", "answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.member}"
