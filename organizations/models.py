"""Party organizations (党组织) as a tree, and the stations (流动驿站) flowing organizations run."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import EncryptedCharField, mask_phone
from lanshan_party.scoping import within_scope

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


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "OrganizationQuerySet":
        """The user's subtree. Partner organizations sit outside our tree, so only county-level users see them."""
        return within_scope(self, user)

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
            self.path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
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
        if self.parent_id and self.pk and self.parent.path.startswith(self.path):
            errors["parent"] = _("An organization cannot be placed under itself or one of its sub-organizations.")
        elif self.kind in (OrgKind.PARTNER, OrgKind.COUNTY) and self.parent_id:
            errors["parent"] = _("A %(kind)s has no parent organization in our tree: leave the parent empty.") % {
                "kind": OrgKind(self.kind).label
            }
        elif allowed_parents and not self.parent_id:
            errors["parent"] = _("Choose the parent organization this one belongs to.")
        elif allowed_parents and self.parent.kind not in allowed_parents:
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


class StationQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "StationQuerySet":
        return within_scope(self, user, "organization")


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
