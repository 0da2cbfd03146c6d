"""Outflows (外出/流动登记): one member's time away, with each recorded transition."""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import (
    EncryptedCharField,
)
from organizations.models import Organization

if TYPE_CHECKING:
    from lanshan_party.models import User

# Away this long without the relationship transferred → prompt to transfer (应转尽转).
from members.models.choices import OPEN_STATUSES, FlowReason, FlowScope, LostCause, OutflowEventKind, OutflowStatus
from members.models.members import TRANSFER_PROMPT_MONTHS, Member, months_ago, report_overdue_q


class OutflowQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "OutflowQuerySet":
        """Outflows of the members the user sees: the rule is the member's, applied as a subquery."""
        return self.filter(member__in=Member.objects.visible_to(user))

    def open(self) -> "OutflowQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def report_overdue(self, today: datetime.date | None = None) -> "OutflowQuerySet":
        """待报到 (registered, not yet reported) past the due date."""
        return self.filter(report_overdue_q(today, prefix=""))


class Outflow(models.Model):
    """One member's time away (外出/流动登记): where, why, under which flowing organization, and its status.

    Changed only through the workflow functions in `members.actions`, which record every transition.
    """

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="outflows")
    status = models.CharField(
        _("status"), max_length=16, choices=OutflowStatus.choices, default=OutflowStatus.REGISTERED
    )
    status_before_lost = models.CharField(max_length=16, choices=OutflowStatus.choices, blank=True, editable=False)
    departure_date = models.DateField(_("departure date"))
    province = models.CharField(_("destination province"), max_length=20)
    city = models.CharField(_("destination city"), max_length=30)
    district = models.CharField(_("destination district / county"), max_length=30, blank=True)
    address = models.CharField(_("detailed address"), max_length=200, blank=True)
    scope = models.CharField(
        _("flow scope"), max_length=16, choices=FlowScope.choices, default=FlowScope.CROSS_PROVINCE
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlowReason.choices, default=FlowReason.WORK)
    industry = models.CharField(_("industry"), max_length=40, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    flowing_org = models.ForeignKey(
        Organization,
        verbose_name=_("flowing organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flowing_outflows",
        limit_choices_to={"kind": "flowing"},
    )
    # The destination partner organization (流入地党组织) of an agreement covering the flowing organization: its
    # staff see the member while this outflow is open (Member.partner_org is kept from it). The name below is what
    # is shown when there is none.
    partner_org = models.ForeignKey(
        Organization,
        verbose_name=_("destination partner organization (of an agreement)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_outflows",
        limit_choices_to={"kind": "partner"},
    )
    partner_org_name = models.CharField(_("destination partner organization"), max_length=120, blank=True)
    partner_contact = models.CharField(_("destination contact person"), max_length=50, blank=True)
    partner_contact_phone = EncryptedCharField(_("destination contact phone"), blank=True, default="")
    certificate_number = models.CharField(_("activity certificate number"), max_length=30, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_checked_on = models.DateField(_("certificate last yearly check"), null=True, blank=True)
    pair_contact = models.CharField(_("pair contact"), max_length=50, blank=True)
    relationship_transferred = models.BooleanField(_("relationship transferred"), default=False)
    # Report-in (报到): due within settings.REPORT_IN_DUE_DAYS of the departure; still "registered" (待报到) after it
    # is overdue. Who recorded it and where the member joined organizational life; a partner's refusal and why.
    report_due_on = models.DateField(_("report-in due on"), null=True, blank=True, db_index=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    receiving_org_name = models.CharField(
        _("receiving organization"),
        max_length=120,
        blank=True,
        help_text=_("The organization the member reported to and joins for organizational life."),
    )
    report_recorded_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("report-in recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refused_on = models.DateField(_("report-in refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing the report-in"), blank=True)
    refused_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("report-in refused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    lost_cause = models.CharField(_("cause of lost contact"), max_length=20, choices=LostCause.choices, blank=True)
    lost_on = models.DateField(_("lost contact on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OutflowQuerySet.as_manager()

    class Meta:
        verbose_name = _("outflow")
        verbose_name_plural = _("outflows")
        ordering = ["-departure_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["registered", "reported", "lost"]),  # OPEN_STATUSES
                name="one_open_outflow_per_member",
                violation_error_message=_(
                    "This member already has an open outflow. "
                    "Record a return or transfer before registering a new departure."
                ),
            )
        ]
        indexes = [models.Index(fields=["province", "city"])]

    def __str__(self) -> str:
        return f"{self.member} → {self.destination}"

    def get_absolute_url(self) -> str:
        """An outflow is shown on its member's page."""
        return self.member.get_absolute_url()

    @property
    def destination(self) -> str:
        return "".join(part for part in (self.province, self.city, self.district) if part)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def partner_display(self) -> str:
        """The destination partner organization: the agreement's one when named, else the free text."""
        return self.partner_org.name if self.partner_org_id and self.partner_org else self.partner_org_name

    def is_report_overdue(self, today: datetime.date | None = None) -> bool:
        """待报到 past its due date (the same rule as OutflowQuerySet.report_overdue)."""
        today = today or timezone.localdate()
        return self.status == OutflowStatus.REGISTERED and self.report_due_on is not None and self.report_due_on < today

    @property
    def needs_transfer(self) -> bool:
        """Away 6+ months without the relationship transferred: prompt to transfer (应转尽转)."""
        return (
            self.is_open
            and not self.relationship_transferred
            and self.departure_date <= months_ago(TRANSFER_PROMPT_MONTHS)
        )

    @property
    def months_away(self) -> int:
        today = timezone.localdate()
        months = (today.year - self.departure_date.year) * 12 + today.month - self.departure_date.month
        return months - (today.day < self.departure_date.day)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.departure_date and self.departure_date > timezone.localdate():
            errors["departure_date"] = _(
                "The departure date is in the future. Register the departure once the member has left."
            )
        if self.departure_date and self.member_id and self.departure_date < self.member.birth_date:
            errors["departure_date"] = _("The departure date is before the member's birth date. Check the year.")
        if self.flowing_org is not None and self.flowing_org.kind != "flowing":
            errors["flowing_org"] = _("Choose a flowing organization.")
        if self.partner_org is not None and self.partner_org.kind != "partner":
            errors["partner_org"] = _("Choose a destination partner organization named in an agreement.")
        if errors:
            raise ValidationError(errors)


class OutflowEvent(models.Model):
    """One recorded transition of an outflow (流动记录): what happened, who recorded it, when, and why."""

    outflow = models.ForeignKey(Outflow, verbose_name=_("outflow"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=OutflowEventKind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=OutflowStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=OutflowStatus.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    lost_cause = models.CharField(_("cause of lost contact"), max_length=20, choices=LostCause.choices, blank=True)

    class Meta:
        verbose_name = _("outflow event")
        verbose_name_plural = _("outflow events")
        ordering = ["at", "id"]
        # The home page's recent events sort every event in scope by time: without this, millions at province size.
        indexes = [models.Index(fields=["-at", "-id"], name="members_outflowevent_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
