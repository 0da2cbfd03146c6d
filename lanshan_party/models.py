"""Accounts (users bound to one organization with one role), the audit log and the notification outbox."""

import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.personal_data import EncryptedCharField


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COUNTY = "county", _("County staff")
    TOWNSHIP = "township", _("Township staff")
    SECRETARY = "secretary", _("Branch secretary")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "UserQuerySet":
        """Only administrators manage accounts; everybody else sees nobody here."""
        if user.is_authenticated and user.role == Role.ADMIN:
            return self
        return self.none()


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> Any:
        # A superuser made on the command line administers the application too, not just the Django admin.
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("may_reveal", True)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """An account (用户): one person, one role, bound to one organization whose subtree they see."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SECRETARY)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The user sees this organization and everything under it."),
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = EncryptedCharField(
        _("mobile phone"),
        blank=True,
        default="",
        help_text=_("For reminders by text message (deadlines of census campaigns). Leave empty for none."),
    )
    may_reveal = models.BooleanField(
        _("may reveal personal data"),
        default=False,
        help_text=_("Allows viewing full ID numbers and phones, one member at a time, with a logged reason."),
    )

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_everything(self) -> bool:
        """County-level roles see the whole county; the others see their organization's subtree."""
        return self.is_active and self.role in (Role.ADMIN, Role.COUNTY)

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    def sees_organization(self, organization: Any) -> bool:
        """Whether the organization is in this user's subtree (without a query)."""
        path = self.scope_path
        return organization is not None and (path is None or organization.path.startswith(path))

    @property
    def scope_path(self) -> str | None:
        """Materialized path of the user's subtree; None means the whole county."""
        if self.sees_everything:
            return None
        if self.organization_id is None:
            return "#nothing#"  # a scoped role without an organization sees nothing
        return self.organization.path


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    REVEAL = "reveal", _("Revealed personal data")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    WORKFLOW = "workflow", _("Workflow step")


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "AuditEntryQuerySet":
        if user.is_authenticated and user.is_administrator:
            return self
        return self.none()

    # Append-only in bulk too: no code path of the application rewrites or removes entries.
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """An audit log entry (审计日志): who did what to which object, when and from where.

    Append-only: the application offers no way to change or delete one.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries cannot be deleted.")


class NotificationKind(models.TextChoices):
    CAMPAIGN_OPENED = "campaign_opened", _("Census campaign opened")
    CAMPAIGN_DEADLINE = "campaign_deadline", _("Census deadline in 3 days")
    CAMPAIGN_OVERDUE = "campaign_overdue", _("Census tasks unanswered at the deadline")
    LIFE_WARNING = "life_warning", _("Six-month rule warnings")
    CERTIFICATE_CHECK = "certificate_check", _("Activity certificate yearly check due")
    AGREEMENT_RENEWAL = "agreement_renewal", _("Agreement renewal due")
    TRANSFER_PROMPT = "transfer_prompt", _("Away 6+ months: transfer the relationship")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "NotificationQuerySet":
        """Everyone reads their own notifications, and only those."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def inbox(self) -> "NotificationQuerySet":
        return self.filter(channel=Channel.IN_APP, status=NotificationStatus.SENT)

    def unread(self) -> "NotificationQuerySet":
        return self.inbox().filter(read_at__isnull=True)

    def due(self, now: datetime.datetime | None = None) -> "NotificationQuerySet":
        return self.filter(status=NotificationStatus.PENDING, due_at__lte=now or timezone.now())


class Notification(models.Model):
    """A reminder (提醒) in the outbox: written once under a unique key, then sent once on its channel.

    Sweeps write rows (a second sweep finds the key taken and writes nothing); the send step claims a row
    with a conditional UPDATE, so a task run twice, or two workers, still send it once.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.IN_APP)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-due_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["recipient", "channel", "status", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.subject
