"""Inflow members (流入党员): Party members of other counties living or working in Lanshan, the local branch they join
for organizational life (一方隶属、参加多重组织生活), their reports back to the home organization and their attendance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, AttendanceStatus
from lanshan_party.people import PersonalDataMixin, person_search
from lanshan_party.personal_data import (
    EncryptedCharField,
    mask_phone,
)
from lanshan_party.scoping import ScopedQuerySet
from members.models import LIFE_WARNING_MONTHS, FlowReason, Gender, life_band_q
from organizations.models import PROVINCES, Organization, OrgKind

# The local organizations an inflow member may join for organizational life.
RECEIVING_KINDS = (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING)
PROVINCE_CHOICES = [(name, name) for name in PROVINCES]


class InflowStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting report-in")  # 待报到
    REPORTED = "reported", _("Reported in")  # 已报到
    LEFT = "left", _("Left")  # 已离开


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online message")
    VISIT = "visit", _("In person")
    OTHER = "other", _("Other")


class InflowMemberQuerySet(ScopedQuerySet):
    """Visible: inflow members whose receiving branch is in the user's subtree."""

    organization_fks = ("branch",)

    def search(self, text: str) -> "InflowMemberQuerySet":
        """Name contains the text, or the text is a full ID number or phone (matched by blind index)."""
        condition = person_search(text)
        return self if condition is None else self.filter(condition)

    def present(self) -> "InflowMemberQuerySet":
        """Still in Lanshan: waiting to report in, or reported in."""
        return self.exclude(status=InflowStatus.LEFT)

    def life_warnings(self, level: int | None = None, today: datetime.date | None = None) -> "InflowMemberQuerySet":
        """Reported-in inflow members at a six-month-rule warning level (3, 5 or 6+), or at any level."""
        return self.filter(status=InflowStatus.REPORTED).filter(
            life_band_q(level or LIFE_WARNING_MONTHS[0], today, whole=not level)
        )

    def life_warning_counts(self, today: datetime.date | None = None) -> dict[int, int]:
        totals = self.filter(status=InflowStatus.REPORTED).aggregate(
            **{f"level_{months}": Count("id", filter=life_band_q(months, today)) for months in LIFE_WARNING_MONTHS}
        )
        return {months: totals[f"level_{months}"] for months in LIFE_WARNING_MONTHS}


class InflowMember(PersonalDataMixin):
    """An inflow Party member (流入党员): their relationship stays with their home organization elsewhere; in Lanshan
    they report in to a local branch and take part in its organizational life."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedCharField(_("citizen ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedCharField(_("phone"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    occupation = models.CharField(_("occupation before"), max_length=60, blank=True)
    from_province = models.CharField(_("province before arrival"), max_length=20, choices=PROVINCE_CHOICES)
    joined_on = models.DateField(_("joined the Party"), null=True, blank=True)
    # The organizational relationship (组织关系), which stays where it is.
    home_org_name = models.CharField(_("home organization"), max_length=120)
    home_place = models.CharField(
        _("relationship location"), max_length=60, help_text=_("Province and county, e.g. 广东省广州市白云区.")
    )
    home_contact = models.CharField(_("home organization contact"), max_length=30, blank=True)
    contact_phone = EncryptedCharField(_("home organization contact phone"), blank=True, default="")
    arrived_on = models.DateField(_("arrival date"))
    reason = models.CharField(_("reason for arrival"), max_length=16, choices=FlowReason.choices)
    has_certificate = models.BooleanField(_("holds an activity certificate"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    branch = models.ForeignKey(
        Organization, verbose_name=_("local branch"), on_delete=models.PROTECT, related_name="inflow_members"
    )
    status = models.CharField(_("status"), max_length=10, choices=InflowStatus.choices, default=InflowStatus.PENDING)
    reported_on = models.DateField(_("reported in on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The latest activity attended in person or online, kept by inflow.actions from InflowAttendance.
    last_life_on = models.DateField(_("last organizational life"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InflowMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("inflow member")
        verbose_name_plural = _("inflow members")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["branch", "status"]), models.Index(fields=["last_life_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inflow:inflowmember_detail", args=[self.pk])

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def life_clock_from(self) -> datetime.date:
        return self.last_life_on or timezone.localtime(self.created_at).date()

    def clean(self) -> None:
        errors = self.id_number_errors()
        today = timezone.localdate()
        if self.branch_id and self.branch.kind not in RECEIVING_KINDS:
            errors["branch"] = _("Choose a village, community or flowing Party branch of our own tree.")
        if self.arrived_on and self.arrived_on > today:
            errors["arrived_on"] = _("The arrival date is in the future. Register the member once they have arrived.")
        elif self.arrived_on and self.birth_date and self.arrived_on < self.birth_date:
            errors["arrived_on"] = _("The arrival date is before the birth date. Check the year.")
        if self.joined_on and self.birth_date and self.joined_on < self.birth_date:
            errors["joined_on"] = _("The date of joining the Party is before the birth date.")
        if self.joined_on and self.joined_on > today:
            errors["joined_on"] = _("The date of joining the Party is in the future.")
        if self.certificate_number and not self.has_certificate:
            errors["has_certificate"] = _("A certificate number is given: tick that the member holds a certificate.")
        if self.reported_on and self.arrived_on and self.reported_on < self.arrived_on:
            errors["reported_on"] = _("The member reported in before arriving. Check both dates.")
        if self.status == InflowStatus.LEFT:
            if not self.left_on:
                errors["left_on"] = _("Give the day the member left Lanshan.")
            elif self.arrived_on and self.left_on < self.arrived_on:
                errors["left_on"] = _("The member left before arriving. Check both dates.")
            elif self.left_on > today:
                errors["left_on"] = _("The leaving date is in the future. Record it once the member has left.")
            if not self.left_reason.strip():
                errors["left_reason"] = _("Say why the member left (moved on, went home, relationship transferred …).")
        elif self.left_on or self.left_reason:
            errors["left_on"] = _("Only a member who has left has a leaving date and reason. Clear them.")
        if errors:
            raise ValidationError(errors)


class InflowRecordQuerySet(ScopedQuerySet):
    """Visible with their inflow member: the receiving branch is in the user's subtree."""

    organization_fks = ("inflow_member__branch",)


class InflowReport(models.Model):
    """A report back (反馈) to an inflow member's home organization: how they take part in organizational life here."""

    inflow_member = models.ForeignKey(
        InflowMember, verbose_name=_("inflow member"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=ReportChannel.choices)
    content = models.TextField(_("content"))
    by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InflowRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("report to the home organization")
        verbose_name_plural = _("reports to the home organization")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inflow_member} · {self.reported_on:%Y-%m-%d}"


class InflowAttendance(models.Model):
    """An inflow member's attendance (出席情况) at an activity of a local organization, kept apart from the attendance
    of its own members."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="inflow_attendances"
    )
    inflow_member = models.ForeignKey(
        InflowMember, verbose_name=_("inflow member"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    objects = InflowRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("inflow member attendance")
        verbose_name_plural = _("inflow member attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "inflow_member"], name="one_attendance_per_inflow_member")
        ]

    def __str__(self) -> str:
        return f"{self.inflow_member} · {self.get_status_display()}"
