"""Organizational life: activities (活动) held by an organization, who attended them, their photos, and red packages (红色包裹)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.scoping import ScopedQuerySet
from lanshan_party.uploads import IMAGE_KINDS, RandomName, UploadValidator
from members.models import Member
from organizations.models import Organization


class ActivityType(models.TextChoices):
    THEME_DAY = "theme_day", _("Theme Party day")
    MEMBERS_MEETING = "members_meeting", _("Branch members' meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    LIFE_MEETING = "life_meeting", _("Organizational life meeting")
    DEMOCRATIC_REVIEW = "democratic_review", _("Democratic review of members")
    FLOWING_SCHOOL = "flowing_school", _("Flowing school")
    WEEKEND_LECTURE = "weekend_lecture", _("Weekend lecture")
    ONLINE_CLASS = "online_class", _("Online class")
    VOLUNTEER = "volunteer", _("Volunteer service")
    HOMECOMING_TRAINING = "homecoming_training", _("Homecoming training")
    RED_BASE_TRAINING = "red_base_training", _("Training at a red education base")
    STUDY_DELIVERY = "study_delivery", _("Study delivered to the door")
    CONDOLENCE = "condolence", _("Condolence visit")


# The three meetings and one lecture (三会一课), grouped as such in the type list.
THREE_MEETINGS_ONE_LECTURE = (
    ActivityType.MEMBERS_MEETING,
    ActivityType.COMMITTEE_MEETING,
    ActivityType.GROUP_MEETING,
    ActivityType.PARTY_LECTURE,
)
# A condolence visit is care received, not organizational life the member takes part in: attending one does
# not reset the six-month clock. Every other type does.
NOT_ORGANIZATIONAL_LIFE = (ActivityType.CONDOLENCE,)


class ThemeDayPart(models.TextChoices):
    """The parts of a theme Party day (一月一课一片一实践)."""

    LESSON = "lesson", _("A lesson")
    FILM = "film", _("A film")
    PRACTICE = "practice", _("A practice")


class ActivityQuerySet(ScopedQuerySet):
    """Visible: activities held by an organization in the user's subtree."""

    organization_fks = ("organization",)

    def with_attendance(self) -> "ActivityQuerySet":
        """Each activity annotated with attended (present or online) and recorded counts, in the same query."""
        return self.annotate(
            attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
            recorded=Count("attendances"),
        )


class Activity(models.Model):
    """An activity of organizational life (组织生活 / 活动) held by one organization, with its attendance."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="activities"
    )
    type = models.CharField(_("type"), max_length=24, choices=ActivityType.choices)
    theme_parts = models.JSONField(_("theme day parts"), default=list, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    topic = models.CharField(_("topic"), max_length=120)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "lanshan_party.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The random token of the form that created it: the same form posted twice saves one activity.
    submission = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "-date"]), models.Index(fields=["-date", "-id"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def counts_as_organizational_life(self) -> bool:
        return self.type not in NOT_ORGANIZATIONAL_LIFE

    @property
    def theme_parts_display(self) -> str:
        return "、".join(str(ThemeDayPart(part).label) for part in self.theme_parts if part in ThemeDayPart.values)

    def clean(self) -> None:
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("The date is in the future. Record an activity once it has taken place.")
        if not self.place and not self.online_link:
            errors["place"] = _("Give the place, or the online link for an activity held online.")
        if self.type != ActivityType.THEME_DAY and self.theme_parts:
            errors["theme_parts"] = _("Lesson, film and practice are parts of a theme Party day only; clear them.")
        if self.organization_id and self.organization.kind == "partner":
            errors["organization"] = _("Activities are held by our own organizations, not by partner organizations.")
        if errors:
            raise ValidationError(errors)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ONLINE = "online", _("Online")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Attendance that counts as taking part in organizational life; excused and absent do not.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)


class Attendance(models.Model):
    """One member's attendance (出席情况) at one activity. A member may attend any organization's activities
    (一方隶属、参加多重组织生活)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="one_attendance_per_member")]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class ActivityPhoto(models.Model):
    """A photo of an activity (活动照片), served only to users who may see the activity."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("photo"), upload_to=RandomName("activities"), validators=[UploadValidator(IMAGE_KINDS)], max_length=200
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.activity} #{self.pk}"


class PackageChannel(models.TextChoices):
    POST = "post", _("By post or courier")
    IN_PERSON = "in_person", _("Handed over in person")
    STATION = "station", _("Left at a station")
    ONLINE = "online", _("Sent online")


class RedPackageQuerySet(ScopedQuerySet):
    """Visible: packages sent by an organization in the user's subtree, or to a member the user looks after."""

    organization_fks = ("organization", "member__home_branch", "member__flowing_org")


class RedPackage(models.Model):
    """A red package (红色包裹 / 送学上门): study materials sent or handed to a member, and when it was signed for."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="red_packages"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="red_packages")
    items = models.TextField(_("contents"))
    sent_on = models.DateField(_("sent on"))
    channel = models.CharField(_("how"), max_length=12, choices=PackageChannel.choices, default=PackageChannel.POST)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    signed_on = models.DateField(_("signed for on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RedPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("red package")
        verbose_name_plural = _("red packages")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.sent_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("activities:redpackage_list")

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.sent_on and self.sent_on > today:
            errors["sent_on"] = _("The sending date is in the future. Record the package once it has been sent.")
        if self.signed_on and self.sent_on and self.signed_on < self.sent_on:
            errors["signed_on"] = _("The package was signed for before it was sent. Check both dates.")
        if self.signed_on and self.signed_on > today:
            errors["signed_on"] = _("The signing date is in the future. Leave it empty until the member signs.")
        if errors:
            raise ValidationError(errors)
