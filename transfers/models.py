"""Transfers of the organizational relationship (组织关系转接) and their three-part introduction letters (介绍信)."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import (
    EncryptedCharField,
    Undecryptable,
    blind_index,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)
from lanshan_party.scoping import ScopedQuerySet
from members.models import Category, Gender, Member, months_ago
from organizations.models import Organization

if TYPE_CHECKING:
    from lanshan_party.models import User

# How the county's letters are numbered: 蓝组转〔2026〕0001号, one series per year.
LETTER_PREFIX = "蓝组转"


def default_valid_days() -> Any:
    return getattr(settings, "TRANSFER_LETTER_VALID_DAYS", 90)


def three_months_after(day: datetime.date) -> datetime.date:
    """The last day a letter issued on `day` may be valid: three calendar months later (组通字〔2006〕45号)."""
    return months_ago(-3, day)


def max_valid_days(day: datetime.date | None = None) -> int:
    day = day or timezone.localdate()
    return (three_months_after(day) - day).days


class Direction(models.TextChoices):
    OUT = "out", _("Transfer out")
    IN = "in", _("Transfer in")


class TransferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AT_TOWNSHIP = "at_township", _("Awaiting township approval")
    AT_COUNTY = "at_county", _("Awaiting county approval")
    RETURNED = "returned", _("Returned for editing")
    ISSUED = "issued", _("Letter issued, awaiting receipt")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINISHED_STATUSES = (TransferStatus.COMPLETED, TransferStatus.WITHDRAWN)
# Statuses the branch may still change the transfer in (edit, submit, withdraw).
EDITABLE_STATUSES = (TransferStatus.DRAFT, TransferStatus.RETURNED)


class StepKind(models.TextChoices):
    START = "start", _("Started")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted to the township")
    TOWNSHIP_APPROVE = "township_approve", _("Approved by the township")
    COUNTY_APPROVE = "county_approve", _("Approved by the county")
    RETURN = "return", _("Returned for editing")
    WITHDRAW = "withdraw", _("Withdrawn")
    ISSUE = "issue", _("Letter issued")
    RECEIPT = "receipt", _("Receipt recorded")
    RECEIVE = "receive", _("Member received on the roll")


class TransferQuerySet(ScopedQuerySet):
    """Visible: transfers of the branch the relationship leaves (out) or arrives at (in), and that branch's parents."""

    organization_fks = ("home_branch",)

    def unfinished(self) -> "TransferQuerySet":
        return self.exclude(status__in=FINISHED_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> "TransferQuerySet":
        """Letters issued and past their validity with no receipt (超时)."""
        return self.filter(status=TransferStatus.ISSUED, valid_until__lt=today or timezone.localdate())

    def box_counts(self, user: "User", today: datetime.date | None = None) -> dict[str, int]:
        from django.db.models import Count

        from transfers.actions import statuses_waiting_on

        today = today or timezone.localdate()
        return self.visible_to(user).aggregate(
            todo=Count("id", filter=Q(status__in=statuses_waiting_on(user))),
            unfinished=Count("id", filter=~Q(status__in=FINISHED_STATUSES)),
            overdue=Count("id", filter=Q(status=TransferStatus.ISSUED, valid_until__lt=today)),
        )


class Transfer(models.Model):
    """A transfer of a member's organizational relationship (组织关系转接), out of the county or into one of our
    branches, with its letter (组织关系介绍信). Changed only through `transfers.actions`, which records each step."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.OUT)
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.DRAFT, db_index=True
    )
    # Out: the member leaving. In: the member created on our roll once the county approves.
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    # The branch the relationship leaves (out) or arrives at (in): who sees the transfer. Kept on the row so
    # scoping is an indexed IN on this table, and it stays when the member leaves the roll.
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="transfers"
    )
    # The member as the letter names them, kept as it was issued (stubs are kept ten years).
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedCharField(_("citizen ID number"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedCharField(_("phone"), blank=True, default="")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.FULL)
    joined_on = models.DateField(_("joined the Party"), null=True, blank=True)
    # The organization at the other end: where the member goes (out), or where the relationship comes from (in).
    other_org = models.CharField(_("organization at the other end"), max_length=120)
    other_province = models.CharField(_("its province"), max_length=20)
    other_city = models.CharField(_("its city"), max_length=30)
    dues_paid_until = models.DateField(_("dues paid up to"), help_text=_("The month up to which dues are paid."))
    reason = models.CharField(_("reason for the transfer"), max_length=200)
    contact = models.CharField(_("contact at the other end"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True, default="")
    valid_days = models.PositiveSmallIntegerField(_("validity (days)"), default=default_valid_days)
    # In: the number of the letter the member brought from elsewhere.
    incoming_letter_number = models.CharField(_("number of the letter received"), max_length=50, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("letter year"), null=True, blank=True, editable=False)
    letter_number = models.PositiveIntegerField(_("letter number"), null=True, blank=True, editable=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    receipt_on = models.DateField(_("receipt returned on"), null=True, blank=True, editable=False)
    receipt_org = models.CharField(_("receiving organization"), max_length=120, blank=True, editable=False)
    started_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_year", "letter_number"],
                condition=Q(letter_number__isnull=False),
                name="one_letter_per_number_and_year",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(direction="out") & ~Q(status__in=["completed", "withdrawn"]),
                name="one_open_transfer_out_per_member",
                violation_error_message=_(
                    "This member already has a transfer under way. Finish or withdraw it before starting another."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_direction_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not isinstance(self.id_number, Undecryptable):
            self.id_number = normalize_id_number(self.id_number)
            self.id_number_hash = blind_index(self.id_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("transfers:transfer_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        limit = max_valid_days()
        if self.valid_days is not None and not 1 <= self.valid_days <= limit:
            errors["valid_days"] = _(
                "An introduction letter is valid for 1 to %(max)d days (3 months at most). Enter a shorter validity."
            ) % {"max": limit}
        if self.dues_paid_until and self.dues_paid_until > months_ago(-12):
            errors["dues_paid_until"] = _("Dues cannot be paid more than a year ahead. Check the month.")
        if self.home_branch_id and self.home_branch.kind not in ("village", "community"):
            errors["home_branch"] = _("Choose a village or community branch.")
        if errors:
            raise ValidationError(errors)

    @property
    def letter_code(self) -> str:
        """The letter's number as printed, e.g. 蓝组转〔2026〕0001号; empty before it is issued."""
        if self.letter_number is None:
            return ""
        return f"{LETTER_PREFIX}〔{self.letter_year}〕{self.letter_number:04d}号"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == TransferStatus.ISSUED
            and self.valid_until is not None
            and self.valid_until < timezone.localdate()
        )

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def age(self) -> int:
        on = self.issued_on or timezone.localdate()
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def from_org_name(self) -> str:
        return self.home_branch.name if self.direction == Direction.OUT else self.other_org

    @property
    def to_org_name(self) -> str:
        return self.other_org if self.direction == Direction.OUT else self.home_branch.name


class TransferStep(models.Model):
    """One step of a transfer (转接记录): what was done, by whom, when and why; the transfer's printable history."""

    transfer = models.ForeignKey(Transfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=TransferStatus.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        "lanshan_party.User", verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transfer step")
        verbose_name_plural = _("transfer steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class LetterCounter(models.Model):
    """The last letter number given out in a year (介绍信编号): locked while the next one is taken, so numbers run
    without gaps or duplicates however many letters are issued at once."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
