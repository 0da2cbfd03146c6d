"""Party organizations (党组织) as a tree, the stations (流动驿站) flowing organizations run, and the
dual-management agreements (双向共管协议) with destination regions."""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import EncryptedCharField, mask_phone
from lanshan_party.scoping import ScopedQuerySet, within_scope
from lanshan_party.uploads import SCAN_KINDS, RandomName, UploadValidator

if TYPE_CHECKING:
    from lanshan_party.models import User


class OrgKind(models.TextChoices):
    COUNTY = "county", _("County committee")
    TOWNSHIP = "township", _("Township committee")
    VILLAGE = "village", _("Village branch")
    COMMUNITY = "community", _("Community branch")
    FLOWING = "flowing", _("Flowing organization")
    PARTNER = "partner", _("Destination partner organization")


class OrgLevel(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    GROUP = "group", _("Party group")


class Basis(models.TextChoices):
    PARK = "park", _("Industrial park")
    CHAMBER = "chamber", _("Chamber of commerce")
    ASSOCIATION = "association", _("Trade association")
    OFFICE = "office", _("Liaison office")
    OTHER = "other", _("Other")


HOME_BRANCH_KINDS = (OrgKind.VILLAGE, OrgKind.COMMUNITY)

# Where each kind of organization sits in the tree (flowing organizations may have sub-branches).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrgKind.TOWNSHIP: (OrgKind.COUNTY,),
    OrgKind.VILLAGE: (OrgKind.TOWNSHIP,),
    OrgKind.COMMUNITY: (OrgKind.TOWNSHIP,),
    OrgKind.FLOWING: (OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.FLOWING),
}

# Provincial-level divisions, as ledgers write them: the destination province is one of these.
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省",
)  # fmt: skip
PROVINCE_CHOICES = [("", "---------")] + [(name, name) for name in PROVINCES]


class OrganizationQuerySet(ScopedQuerySet):
    """Visible: the user's subtree. Partner organizations sit outside our tree, so only county-level users see them."""

    organization_fks = ()  # the rows are organizations themselves

    def active(self) -> "OrganizationQuerySet":
        return self.filter(is_active=True)

    def flowing(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrgKind.FLOWING)

    def home_branches(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=HOME_BRANCH_KINDS)

    def townships(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrgKind.TOWNSHIP)

    def partners(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrgKind.PARTNER)

    def in_tree(self) -> "OrganizationQuerySet":
        return self.exclude(kind=OrgKind.PARTNER)


class Organization(models.Model):
    """A Party organization (党组织): a node in the county's tree, or a destination partner organization
    (流入地党组织) outside it that agreements and outflows refer to."""

    name = models.CharField(_("organization name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=OrgLevel.choices, default=OrgLevel.BRANCH)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Materialized path of primary keys ("/1/5/23/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    code = models.CharField(_("organization code"), max_length=30, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district / county"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    basis = models.CharField(_("basis of establishment"), max_length=16, choices=Basis.choices, blank=True)
    secretary = models.ForeignKey(
        "members.Member",
        verbose_name=_("secretary"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secretary_name = models.CharField(_("secretary name"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True, default="")
    approved_by = models.CharField(_("approved by"), max_length=120, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)  # the path is built from the primary key
                args, kwargs = (), {}
            old_path = self.path
            self.path = f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moved: re-root every descendant's path in one statement.
                Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys of every organization above this one, from the root down (read off the path)."""
        return [int(pk) for pk in self.path.strip("/").split("/")[:-1]]

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def is_flowing(self) -> bool:
        return self.kind == OrgKind.FLOWING

    @property
    def region(self) -> str:
        return "".join(part for part in (self.province, self.city, self.district) if part)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_ancestor_of(self, other: "Organization") -> bool:
        return other.path.startswith(self.path)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        allowed_parents = PARENT_KINDS.get(self.kind, ())
        if self.pk and self.parent is not None and self.parent.path.startswith(self.path):
            errors["parent"] = _("An organization cannot be placed under itself or one of its sub-organizations.")
        elif self.kind in (OrgKind.PARTNER, OrgKind.COUNTY) and self.parent_id:
            errors["parent"] = _("A %(kind)s has no parent organization in our tree: leave the parent empty.") % {
                "kind": OrgKind(self.kind).label
            }
        elif allowed_parents:
            if self.parent is None:
                errors["parent"] = _("Choose the parent organization this one belongs to.")
            elif self.parent.kind not in allowed_parents:
                errors["parent"] = _("A %(kind)s belongs under a %(parents)s, not under a %(parent)s.") % {
                    "kind": OrgKind(self.kind).label,
                    "parents": "、".join(str(OrgKind(k).label) for k in allowed_parents),
                    "parent": OrgKind(self.parent.kind).label,
                }
        if (
            self.kind == OrgKind.COUNTY
            and Organization.objects.filter(kind=OrgKind.COUNTY).exclude(pk=self.pk).exists()
        ):
            errors["kind"] = _("There is already a county committee at the root of the tree.")
        if self.kind == OrgKind.FLOWING and not (self.province and self.city):
            errors["city"] = _("A flowing organization needs its destination province and city.")
        if errors:
            raise ValidationError(errors)


class Funding(models.TextChoices):
    DONATIONS = "donations", _("Member donations")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs' support")
    COMMUNITY = "community", _("Community co-building")


class StationQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)


class Station(models.Model):
    """A flowing-member station (流动驿站): a physical place run by a flowing organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="stations"
    )
    name = models.CharField(_("station name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    opened_on = models.DateField(_("opening date"), null=True, blank=True)
    funding = models.JSONField(_("funding sources"), default=list, blank=True)
    duties = models.TextField(_("duties and rules"), blank=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["organization", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def funding_display(self) -> str:
        labels = dict(Funding.choices)
        return "、".join(str(labels.get(f, f)) for f in self.funding)


# The county's side of every agreement: the organization department signs them all.
OUR_SIDE = "中共蓝山县委组织部"
# How far ahead an agreement counts as due for renewal (续签提醒). The UI strings say "60 days".
EXPIRING_DAYS = 60


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class AgreementScope(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Joint organization building")
    MEMBERS = "members", _("Joint member management")
    ACTIVITIES = "activities", _("Joint activities")
    DEVELOPMENT = "development", _("Shared development")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "AgreementQuerySet":
        """Everything for county-level roles; otherwise the agreements covering a flowing organization in
        the user's subtree. Not a ScopedQuerySet: the match runs through the M2M table, so it is a subquery on
        agreement ids (an agreement covering two organizations of the subtree is still one row), and county-level
        roles also see drafts that cover no organization yet."""
        if user.is_authenticated and user.sees_everything:
            return self  # also drafts that cover no organization yet
        covering = within_scope(Agreement.objects.all(), user, "covered_organizations")
        return self.filter(pk__in=covering.values("pk"))

    def in_force(self, today: datetime.date | None = None) -> "AgreementQuerySet":
        """Marked in force and not past their end date."""
        return self.filter(status=AgreementStatus.IN_FORCE, valid_to__gte=_today(today))

    def expired(self, today: datetime.date | None = None) -> "AgreementQuerySet":
        """Marked expired, or still marked in force after their end date."""
        return self.filter(
            Q(status=AgreementStatus.EXPIRED) | Q(status=AgreementStatus.IN_FORCE, valid_to__lt=_today(today))
        )

    def expiring(self, days: int = EXPIRING_DAYS, today: datetime.date | None = None) -> "AgreementQuerySet":
        """In force and ending within the next `days` days (today and the last day included)."""
        today = _today(today)
        return self.in_force(today).filter(valid_to__lte=today + datetime.timedelta(days=days))

    def with_status(self, status: str, today: datetime.date | None = None) -> "AgreementQuerySet":
        """Agreements whose current status (see Agreement.current_status) is `status`."""
        if status == AgreementStatus.IN_FORCE:
            return self.in_force(today)
        if status == AgreementStatus.EXPIRED:
            return self.expired(today)
        return self.filter(status=status)


class Agreement(models.Model):
    """A dual-management agreement (双向共管协议) between the county's organization department and a
    destination region's (e.g. 中共广州市花都区委组织部): the two sides jointly look after the flowing
    Party members of the flowing organizations it covers."""

    our_side = models.CharField(_("our side"), max_length=60, default=OUR_SIDE)
    counterpart = models.CharField(
        _("counterpart"),
        max_length=120,
        help_text=_("The destination's organization department, in full, e.g. 中共广州市花都区委组织部."),
    )
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": OrgKind.PARTNER},
        related_name="partner_agreements",
    )
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district / county"), max_length=30, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), db_index=True)
    scope = models.JSONField(_("scope"), default=list, blank=True)
    scope_text = models.TextField(_("scope details"), blank=True)
    covered_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("covered flowing organizations"),
        limit_choices_to={"kind": OrgKind.FLOWING},
        related_name="agreements",
        blank=True,
    )
    scan = models.FileField(
        _("signed copy (scan)"),
        upload_to=RandomName("agreements"),
        validators=[UploadValidator(SCAN_KINDS)],
        max_length=200,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-valid_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=F("valid_from")),
                name="agreement_valid_to_after_valid_from",
                violation_error_message=_("The agreement must end after the day it starts: enter a later end date."),
            )
        ]

    def __str__(self) -> str:
        if self.valid_from and self.valid_to:
            return f"{self.counterpart}（{self.valid_from:%Y-%m-%d}—{self.valid_to:%Y-%m-%d}）"
        return self.counterpart

    def get_absolute_url(self) -> str:
        return reverse("organizations:agreement_detail", args=[self.pk])

    def get_scan_url(self) -> str:
        return reverse("organizations:agreement_scan", args=[self.pk])

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError(
                {
                    "valid_to": _(
                        "The agreement would end on or before the day it starts. "
                        "Enter an end date after %(start)s, or correct the start date."
                    )
                    % {"start": f"{self.valid_from:%Y-%m-%d}"}
                }
            )

    @property
    def region(self) -> str:
        return "".join(part for part in (self.province, self.city, self.district) if part)

    @property
    def scope_display(self) -> str:
        labels = dict(AgreementScope.choices)
        return "、".join(str(labels.get(s, s)) for s in self.scope)

    def current_status(self, today: datetime.date | None = None) -> str:
        """The stored status, except that an agreement in force past its end date counts as expired."""
        if self.status == AgreementStatus.IN_FORCE and self.valid_to < _today(today):
            return AgreementStatus.EXPIRED
        return self.status

    @property
    def current_status_label(self) -> str:
        return str(AgreementStatus(self.current_status()).label)

    @property
    def days_left(self) -> int:
        """Days until the end date (0 on the last day, negative once past)."""
        return (self.valid_to - timezone.localdate()).days

    @property
    def is_expiring(self) -> bool:
        return self.current_status() == AgreementStatus.IN_FORCE and self.days_left <= EXPIRING_DAYS
