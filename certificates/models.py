"""Activity certificates (流动党员活动证): issued by the member's home township, numbered per township per year,
checked once a year (年审 / 查验), handed back on return or voided with a reason."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from members.models import Member, Outflow, months_ago
from organizations.models import Organization, OrgKind

# A certificate is due its yearly check (待年审) this many months after its last check, or after issue.
CHECK_INTERVAL_MONTHS = 12


class CertificateStatus(models.TextChoices):
    """What is stored; "due its yearly check" is a valid certificate read against the date (RegisterStatus)."""

    VALID = "valid", _("Valid")
    HANDED_BACK = "handed_back", _("Handed back")
    VOID = "void", _("Void")


class RegisterStatus(models.TextChoices):
    """The status the register shows: 有效 / 待年审 / 已交回 / 作废."""

    VALID = "valid", _("Valid")
    DUE = "due", _("Due its yearly check")
    HANDED_BACK = "handed_back", _("Handed back")
    VOID = "void", _("Void")


class CheckKind(models.TextChoices):
    YEARLY = "yearly", _("Yearly check")  # 年审
    INSPECTION = "inspection", _("Inspection")  # 查验


class Condition(models.TextChoices):
    """The state of a certificate handed back."""

    INTACT = "intact", _("Intact")
    WORN = "worn", _("Worn but legible")
    DAMAGED = "damaged", _("Damaged")


class VoidReason(models.TextChoices):
    LOST = "lost", _("Lost")
    DAMAGED = "damaged", _("Damaged beyond use")
    MISTAKE = "mistake", _("Issued in error")
    OTHER = "other", _("Other")


def home_township(member: Member) -> Organization | None:
    """The township committee above the member's home branch (the one that issues their certificate)."""
    branch = member.home_branch
    parent = branch.parent
    return parent if parent is not None and parent.kind == OrgKind.TOWNSHIP else None


def due_q(today: datetime.date | None = None) -> Q:
    """Valid, and a year or more since the last check (or, never checked, since issue): 待年审."""
    year_ago = months_ago(CHECK_INTERVAL_MONTHS, today)
    return Q(status=CertificateStatus.VALID) & (
        Q(last_checked_on__lte=year_ago) | Q(last_checked_on__isnull=True, issued_on__lte=year_ago)
    )


class CertificateQuerySet(ScopedQuerySet):
    """Visible: certificates of members whose home branch, or whose current flowing organization, is in the user's
    subtree (the member's own rule, on the certificate's copies of those two keys)."""

    organization_fks = ("home_branch", "flowing_org")

    def due(self, today: datetime.date | None = None) -> "CertificateQuerySet":
        return self.filter(due_q(today))

    def with_register_status(self, status: str, today: datetime.date | None = None) -> "CertificateQuerySet":
        if status == RegisterStatus.DUE:
            return self.due(today)
        if status == RegisterStatus.VALID:
            return self.filter(status=CertificateStatus.VALID).exclude(due_q(today))
        return self.filter(status=status)

    def with_responsible(self) -> "CertificateQuerySet":
        """Annotated with `responsible`: the organization answering for the member now (as MemberQuerySet does)."""
        return self.annotate(responsible=Coalesce("flowing_org", "home_branch"))

    def count_by_responsible(self) -> dict[int, int]:
        return dict(self.with_responsible().order_by().values_list("responsible").annotate(n=Count("id")))

    def search(self, text: str) -> "CertificateQuerySet":
        text = (text or "").replace("\x00", "").strip()
        if not text:
            return self
        return self.filter(Q(number__icontains=text) | Q(member__name__icontains=text))


class Certificate(models.Model):
    """An activity certificate (流动党员活动证) issued by the member's home township for one outflow.

    Changed only through `certificates.actions`, which numbers it, records its checks, hand-back or voiding, and
    keeps the outflow's certificate fields (what the member ledger reads) a copy of it."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="certificates")
    outflow = models.ForeignKey(
        Outflow,
        verbose_name=_("issued for the outflow"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    township = models.ForeignKey(
        Organization, verbose_name=_("issued by township"), on_delete=models.PROTECT, related_name="+"
    )
    # Copies of the member's home branch and flowing organization, kept by certificates.signals: scoping is then an
    # indexed IN on this table, as for members.
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    flowing_org = models.ForeignKey(
        Organization,
        verbose_name=_("flowing organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year of issue"))
    # Place in the township's numbering of that year; empty for a number carried over from before the register.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    last_checked_on = models.DateField(_("last check"), null=True, blank=True, editable=False)
    handed_back_on = models.DateField(_("handed back on"), null=True, blank=True)
    handed_back_to = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("received by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices, blank=True)
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    voided_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("voided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=16, choices=VoidReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity certificate")
        verbose_name_plural = _("activity certificates")
        ordering = ["township", "year", "sequence", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="one_certificate_per_number_of_a_township_year",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_member",
                violation_error_message=_(
                    "This member already holds a valid activity certificate. Record its hand-back or void it first."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "last_checked_on"]), models.Index(fields=["year"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:certificate_detail", args=[self.pk])

    @property
    def check_due_from(self) -> datetime.date:
        return self.last_checked_on or self.issued_on

    def register_status(self, today: datetime.date | None = None) -> str:
        if self.status != CertificateStatus.VALID:
            return self.status
        if self.check_due_from <= months_ago(CHECK_INTERVAL_MONTHS, today):
            return RegisterStatus.DUE
        return RegisterStatus.VALID

    def get_register_status_display(self) -> str:
        return str(RegisterStatus(self.register_status()).label)

    def register_remarks(self) -> str:
        """The remarks column of the paper register: why void, the state it came back in, due its check, the note."""
        parts: list[str] = []
        if self.status == CertificateStatus.VOID:
            parts.append(f"{_('Void')}：{self.get_void_reason_display()} {self.voided_on or ''}".strip())
        elif self.status == CertificateStatus.HANDED_BACK and self.condition:
            parts.append(str(self.get_condition_display()))
        elif self.register_status() == RegisterStatus.DUE:
            parts.append(str(RegisterStatus.DUE.label))
        if self.note:
            parts.append(self.note)
        return "；".join(parts)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if self.issued_on and self.issued_on > today:
            errors["issued_on"] = _("The issue date is in the future. Record a certificate once it is issued.")
        if self.issued_on and self.member_id and self.issued_on < self.member.birth_date:
            errors["issued_on"] = _("The issue date is before the member's birth date. Check the year.")
        if errors:
            raise ValidationError(errors)


class CertificateCounter(models.Model):
    """The last number a township gave in a year: locked while a certificate is numbered, so numbers have no gaps
    and no duplicates."""

    township = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="one_counter_per_township_year")]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.year}: {self.last}"


class CertificateCheck(models.Model):
    """One yearly check (年审) or inspection (查验) of a certificate: when, by whom, and what was found."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("activity certificate"), on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(_("kind of check"), max_length=16, choices=CheckKind.choices, default=CheckKind.YEARLY)
    checked_on = models.DateField(_("checked on"))
    by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate check")
        verbose_name_plural = _("certificate checks")
        ordering = ["checked_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "checked_on"], name="one_check_per_certificate_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_kind_display()} {self.checked_on:%Y-%m-%d}"
