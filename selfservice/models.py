"""Members find their organization (党员找组织): personal links, what members send through them, requests from the public
page, and the office phones organizations publish there."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import EncryptedCharField, mask_phone
from lanshan_party.scoping import ScopedQuerySet
from organizations.models import Organization


class Purpose(models.TextChoices):
    WHEREABOUTS = "whereabouts", _("Whereabouts check")
    YEARLY_REPORT = "yearly_report", _("Yearly report")
    CHANGE = "change", _("Change of circumstance")
    CENSUS = "census", _("Census answer")


class LinkChannel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")


# Wrong ID digits that lock a link for good (a new one must be sent).
MAX_FAILED_TRIES = 5


class PersonalLinkQuerySet(ScopedQuerySet):
    """Visible: links of members the user answers for, by the organization responsible at sending or the home branch."""

    organization_fks = ("organization", "home_branch")

    def usable(self) -> "PersonalLinkQuerySet":
        return self.filter(
            revoked_at__isnull=True, locked_at__isnull=True, used_at__isnull=True, expires_at__gt=timezone.now()
        )


class PersonalLink(models.Model):
    """A personal link (专属链接): one member, one purpose, expiring; only the sha256 of its token is kept."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="personal_links"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), on_delete=models.PROTECT, related_name="+"
    )
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+"
    )
    census_task = models.ForeignKey(
        "members.CensusTask",
        verbose_name=_("census task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("sent by"), max_length=8, choices=LinkChannel.choices, default=LinkChannel.SMS)
    email = EncryptedCharField(_("e-mail address"), blank=True, default="")
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(_("wrong ID digits"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_by = models.ForeignKey(
        "lanshan_party.User", verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PersonalLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One census link per task: queuing the links of a campaign twice sends nobody a second one.
            models.UniqueConstraint(
                fields=["census_task"], condition=Q(census_task__isnull=False), name="one_link_per_census_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_purpose_display()}"

    @property
    def state(self) -> str:
        if self.used_at:
            return str(_("answered"))
        if self.locked_at:
            return str(_("locked"))
        if self.revoked_at:
            return str(_("revoked"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("waiting for the member"))

    @property
    def is_usable(self) -> bool:
        return not (self.used_at or self.locked_at or self.revoked_at) and self.expires_at > timezone.now()


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTED = "corrected", _("Accepted with corrections")
    REJECTED = "rejected", _("Rejected")


class SelfReportQuerySet(ScopedQuerySet):
    organization_fks = ("organization", "home_branch")

    def pending(self) -> "SelfReportQuerySet":
        return self.filter(status=ReviewStatus.PENDING)


class SelfReport(models.Model):
    """What a member sent through a personal link (自助填报): changes nothing until the responsible secretary accepts."""

    link = models.OneToOneField(
        PersonalLink, verbose_name=_("personal link"), on_delete=models.CASCADE, related_name="report"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="self_reports"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), on_delete=models.PROTECT, related_name="+"
    )
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+"
    )
    # Whereabouts (a check or a census answer): where the member is now, as they say.
    returned_home = models.BooleanField(_("back home for good"), default=False)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district / county"), max_length=30, blank=True)
    address = models.CharField(_("detailed address"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    phone = EncryptedCharField(_("phone"), blank=True, default="")
    # The yearly report (每年至少向流出地党组织汇报一次) and a change of circumstance.
    study = models.TextField(_("study"), blank=True)
    work = models.TextField(_("work"), blank=True)
    organizational_life = models.TextField(_("organizational life"), blank=True)
    circumstance = models.TextField(_("change of circumstance"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = SelfReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "organization"]), models.Index(fields=["status", "home_branch"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_purpose_display()}"

    @property
    def destination(self) -> str:
        return "".join(part for part in (self.province, self.city, self.district) if part)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def whereabouts(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "address": self.address,
            "employer": self.employer,
        }


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for contact")
    HANDLED = "handled", _("Contacted")
    DISMISSED = "dismissed", _("Dismissed")


class PublicRequestQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)


class PublicRequest(models.Model):
    """A request left on the public page (党员找组织): someone asks a flowing organization to contact them."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization asked"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedCharField(_("phone"))
    home_township = models.CharField(_("home township"), max_length=30)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PublicRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to be contacted")
        verbose_name_plural = _("requests to be contacted")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "organization"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.organization}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class OfficePhone(models.Model):
    """The office phone an organization publishes on the public page (公开办公电话): never a person's own number."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="office_phone"
    )
    phone = models.CharField(_("office phone"), max_length=30)
    hours = models.CharField(_("office hours"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("published office phone")
        verbose_name_plural = _("published office phones")

    def __str__(self) -> str:
        return f"{self.organization} {self.phone}"


class CensusLinkRun(models.Model):
    """A request to send every covered member of a census campaign their census link, done by a job (or the sweep)."""

    campaign = models.ForeignKey("members.CensusCampaign", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey("lanshan_party.User", on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("census link run")
        verbose_name_plural = _("census link runs")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.requested_at:%Y-%m-%d %H:%M}"
