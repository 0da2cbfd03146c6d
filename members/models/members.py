"""Party members (党员) and their tags: who they are, where their organizational relationship is, and the six-month rule."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.people import PersonalDataMixin, person_search
from lanshan_party.personal_data import EncryptedCharField
from lanshan_party.scoping import ScopedQuerySet
from members.models.choices import OutflowStatus
from organizations.models import Organization

# Away this long without the relationship transferred → prompt to transfer (应转尽转).
TRANSFER_PROMPT_MONTHS = 6

# The six-month rule (连续六个月不参加组织生活): months without organizational life at which the member's
# secretary is warned. At six the Party constitution treats the member as having left (自行脱党).
LIFE_WARNING_MONTHS = (3, 5, 6)
LIFE_LEVEL_LABELS = {3: _("3 to 5 months"), 5: _("5 to 6 months"), 6: _("6 months and more")}
# What the secretary responsible does at each warning level (党章第三十八条).
LIFE_NEXT_STEPS = {
    3: _("Contact the member, tell them the dates of the coming activities and invite them, online if far away."),
    5: _(
        "Hold a heart-to-heart talk, find out why they are missing, and arrange online or nearby organizational life."
    ),
    6: _(
        "Six months without organizational life: verify the reason with the member and their branch, "
        "educate and help them; without a proper reason, report to the township committee to handle it as "
        "leaving the Party (自行脱党) under Article 38 of the Constitution."
    ),
}


def months_ago(months: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    # Clamp the day for short months (31 August minus 6 months is 28/29 February).
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Category(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class Standing(models.TextChoices):
    NORMAL = "normal", _("Normal")
    SUSPENDED = "suspended", _("Membership suspended")
    EXPELLED = "expelled", _("No longer a member")
    DECEASED = "deceased", _("Deceased")
    # The receipt of a transfer's introduction letter came back: the member is no longer on our roll.
    TRANSFERRED_OUT = "transferred_out", _("Relationship transferred out")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior high school")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("College")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Tag(models.Model):
    """A member tag (标签) such as 困难党员, 村后备力量 or 两代表一委员."""

    name = models.CharField(_("tag name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def needs_transfer_q(today: datetime.date | None = None) -> Q:
    """Away at least six months with the relationship not transferred: prompt to transfer (应转尽转)."""
    return Q(
        current_outflow__departure_date__lte=months_ago(TRANSFER_PROMPT_MONTHS, today),
        current_outflow__relationship_transferred=False,
    )


def no_life_since_q(day: datetime.date) -> Q:
    """No organizational life after `day`. A member never seen at one counts from the day they were entered
    in the platform, so a newly entered member is not warned at once."""
    next_midnight = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
    return Q(last_life_on__lte=day) | Q(last_life_on__isnull=True, created_at__lt=next_midnight)


def life_band_q(months: int, today: datetime.date | None = None, *, whole: bool = False) -> Q:
    """Members at warning level `months`: at least that long without organizational life but not yet at the
    next level (or, with whole=True, at that level or any later one)."""
    condition = no_life_since_q(months_ago(months, today))
    later = [level for level in LIFE_WARNING_MONTHS if level > months]
    if later and not whole:
        condition &= ~no_life_since_q(months_ago(later[0], today))
    return condition


def report_overdue_q(today: datetime.date | None = None, *, prefix: str = "current_outflow__") -> Q:
    """The outflow (the member's open one, or with prefix="" an outflow itself) is 待报到 past its due date."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": OutflowStatus.REGISTERED, f"{prefix}report_due_on__lt": today})


class MemberQuerySet(ScopedQuerySet):
    """Visible: members whose home branch, or whose current flowing organization, or whose open outflow's
    destination partner organization (流入地党组织), is in the user's subtree."""

    organization_fks = ("home_branch", "flowing_org", "partner_org")

    def with_responsible(self) -> "MemberQuerySet":
        """Each member annotated with `responsible`, the id of the organization answering for them now: the same
        rule as Member.responsible_organization_id, computed in the query."""
        return self.annotate(responsible=Coalesce("flowing_org", "home_branch"))

    def count_by_responsible(self) -> dict[int, int]:
        """{organization id: how many of these members it answers for}, as one grouped query."""
        return dict(self.with_responsible().order_by().values_list("responsible").annotate(n=Count("id")))

    def search(self, text: str) -> "MemberQuerySet":
        """Name contains the text, or the text is a full ID number or phone (matched by blind index)."""
        condition = person_search(text)
        return self if condition is None else self.filter(condition)

    def needs_transfer(self, today: datetime.date | None = None) -> "MemberQuerySet":
        return self.filter(needs_transfer_q(today))

    def report_overdue(self, today: datetime.date | None = None) -> "MemberQuerySet":
        """Members whose open outflow is 待报到 past its due date (报到逾期)."""
        return self.filter(report_overdue_q(today))

    def life_warnings(self, level: int | None = None, today: datetime.date | None = None) -> "MemberQuerySet":
        """Members at a six-month-rule warning level (3, 5, or 6 meaning six months and more), or at any level."""
        return self.filter(standing=Standing.NORMAL).filter(
            life_band_q(level or LIFE_WARNING_MONTHS[0], today, whole=not level)
        )

    def life_warning_counts(self, today: datetime.date | None = None) -> dict[int, int]:
        """{3: n, 5: n, 6: n}: members at each warning level, in one query."""
        totals = self.filter(standing=Standing.NORMAL).aggregate(
            **{f"level_{months}": Count("id", filter=life_band_q(months, today)) for months in LIFE_WARNING_MONTHS}
        )
        return {months: totals[f"level_{months}"] for months in LIFE_WARNING_MONTHS}

    def summary(self) -> dict[str, int]:
        """The headline figures, in one query: members, away, reported, lost, away 6+ months untransferred, report-in
        overdue."""
        return self.aggregate(
            total=Count("id", filter=Q(standing=Standing.NORMAL)),  # on the roll
            away=Count("id", filter=Q(current_outflow__isnull=False)),
            reported=Count("id", filter=Q(current_outflow__status=OutflowStatus.REPORTED)),
            lost=Count("id", filter=Q(current_outflow__status=OutflowStatus.LOST)),
            needs_transfer=Count("id", filter=needs_transfer_q()),
            report_overdue=Count("id", filter=report_overdue_q()),
        )

    def count_by(self, field: str) -> dict[int | None, int]:
        """{value of field: number of members}, e.g. per home branch, as one grouped query."""
        return dict(self.order_by().values_list(field).annotate(n=Count("id")))


class Member(PersonalDataMixin):
    """A Party member (党员) of the county, with exactly one home branch (组织关系所在党支部)."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedCharField(_("citizen ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedCharField(_("phone"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    joined_on = models.DateField(_("joined the Party"), null=True, blank=True)
    full_member_on = models.DateField(_("became full member"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.FULL)
    standing = models.CharField(_("standing"), max_length=16, choices=Standing.choices, default=Standing.NORMAL)
    household_township = models.CharField(_("household township"), max_length=30, blank=True)
    household_village = models.CharField(_("household village / community"), max_length=30, blank=True)
    home_branch = models.ForeignKey(
        Organization, verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="home_members"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="members")
    note = models.TextField(_("note"), blank=True)
    # The latest activity the member attended in person or online, kept by activities.actions from attendance:
    # the six-month rule reads it on every warnings page, so it is a column, not an aggregate over attendance.
    last_life_on = models.DateField(_("last organizational life"), null=True, blank=True, editable=False)
    # The open outflow, kept by the outflow workflow functions so lists and scoping need no subquery.
    # While away: the flowing organization that manages the member (copied from the open outflow by the
    # workflow), so scoping is an indexed IN on this table rather than an OR across joins.
    flowing_org = models.ForeignKey(
        Organization,
        verbose_name=_("flowing organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flowing_members",
        editable=False,
    )
    # While away with a destination partner organization named on the open outflow: that organization, copied by
    # the same workflow, so its staff see the member through the same indexed scoping.
    partner_org = models.ForeignKey(
        Organization,
        verbose_name=_("destination partner organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_members",
        editable=False,
    )
    current_outflow = models.OneToOneField(
        "Outflow",
        verbose_name=_("current outflow"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"]), models.Index(fields=["last_life_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    def clean(self) -> None:
        errors = self.id_number_errors()
        if self.home_branch_id and self.home_branch.kind not in ("village", "community"):
            errors["home_branch"] = _("The home branch must be a village or community branch.")
        if self.joined_on and self.birth_date and self.joined_on < self.birth_date:
            errors["joined_on"] = _("The date of joining the Party is before the birth date.")
        if self.full_member_on and self.joined_on and self.full_member_on < self.joined_on:
            errors["full_member_on"] = _("The date of becoming a full member is before the date of joining.")
        if errors:
            raise ValidationError(errors)

    @property
    def responsible_organization_id(self) -> int:
        """The organization that answers for the member now: the flowing one while away under it, else the home
        branch (MemberQuerySet.with_responsible is the same rule in a query)."""
        return self.flowing_org_id or self.home_branch_id

    @property
    def life_clock_from(self) -> datetime.date:
        """The day the six-month rule counts from: the last organizational life, else the day of entry."""
        return self.last_life_on or timezone.localtime(self.created_at).date()

    def life_warning_level(self, today: datetime.date | None = None) -> int | None:
        """The six-month-rule warning level (3, 5 or 6) the member is at, or None; the same rule as life_band_q."""
        if self.standing != Standing.NORMAL:
            return None
        for months in reversed(LIFE_WARNING_MONTHS):
            if self.life_clock_from <= months_ago(months, today):
                return months
        return None

    @property
    def age(self) -> int:
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )
