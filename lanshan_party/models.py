"""Accounts (users bound to one organization with one role), the audit log and the notification outbox."""

import datetime
from collections.abc import Iterable
from typing import Any, ClassVar

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
    # Staff of a destination partner organization (流入地党组织) named in an agreement: they see only the members
    # whose open outflow names their organization.
    PARTNER = "partner", _("Destination partner")


# The county organization department's roles: they see the whole county (what each may do: lanshan_party.rights).
COUNTY_ROLES: tuple[str, ...] = (Role.ADMIN, Role.COUNTY)

# Which kinds of organization (organizations.OrgKind values) a user of each role may be bound to.
ROLE_ORG_KINDS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: ("county",),
    Role.COUNTY: ("county",),
    Role.TOWNSHIP: ("township",),
    Role.SECRETARY: ("village", "community", "flowing"),
    Role.PARTNER: ("partner",),
}


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "UserQuerySet":
        """Only administrators manage accounts; everybody else sees nobody here."""
        if user.is_authenticated and user.role == Role.ADMIN:
            return self
        return self.none()

    def secretaries_of(self, organization_ids: Iterable[int]) -> "UserQuerySet":
        """The active secretaries bound to these organizations: who answers for their members."""
        return self.filter(role=Role.SECRETARY, is_active=True, organization_id__in=set(organization_ids))


# mypy cannot follow a from_queryset() call used as a base class ("Unsupported dynamic base class"), stubs or not.
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

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_everything(self) -> bool:
        """County-level roles see the whole county; the others see their organization's subtree."""
        return self.is_active and self.role in COUNTY_ROLES

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
        if self.organization is None:  # no query when organization_id is None
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
    # No database constraint and nothing done on deletion: the table refuses UPDATE and DELETE (a trigger on
    # PostgreSQL), so deleting an account leaves its entries as they were, still naming it in actor_name.
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
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
    REPORT_OVERDUE = "report_overdue", _("Report-in overdue")
    REPORT_REFUSED = "report_refused", _("Report-in refused at the destination")
    TRANSFER_OVERDUE = "transfer_overdue", _("Introduction letter expired without a receipt")
    PERSONAL_LINK = "personal_link", _("Personal link to a member")
    TERM_ENDING = "term_ending", _("Organization term ending")
    ELECTION_HELD = "election_held", _("Home branch held an election")
    DUES_ARREARS = "dues_arrears", _("Party dues in arrears")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The worker stopped while handing the message to the mail server or gateway: it may have gone out. It is
    # not sent again, so nobody gets it twice; the in-app copy of the same reminder is always there.
    UNCERTAIN = "unknown", _("Delivery unknown")


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
    # Set just before the message is handed to the mail server or gateway: a send that dies after this point may
    # have been delivered, one that dies before it certainly was not.
    handed_at = models.DateTimeField(null=True, blank=True, editable=False)
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


# ---------------------------------------------------------------- ledgers (台账导出 / 台账导入)

from lanshan_party.uploads import RandomName  # noqa: E402 - kept with the ledger models it serves


class LedgerFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    CSV = "csv", _("CSV text (.csv)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Exporting")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    REJECTED = "rejected", _("File refused")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Discarded")


class LedgerJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "LedgerJobQuerySet":
        """Each user sees the exports and imports they started; administrators see everybody's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(user=user)


class ExportJob(models.Model):
    """A ledger export (台账导出): who asked for which ledger, from which list page with which filters and sort,
    masked or not (and why not), its progress, and the file, kept for a while in the export history."""

    user = models.ForeignKey(User, verbose_name=_("exported by"), on_delete=models.CASCADE, related_name="+")
    ledger = models.CharField(_("ledger"), max_length=30)
    format = models.CharField(_("format"), max_length=4, choices=LedgerFormat.choices, default=LedgerFormat.XLSX)
    # The list page the export was asked from and its query string (filters and sort): the job rebuilds that
    # page's queryset, scoped to the user, when it runs.
    source = models.CharField(max_length=200)
    query = models.TextField(blank=True)
    filters = models.TextField(_("filters"), blank=True)
    masked = models.BooleanField(_("personal data masked"), default=True)
    reason = models.CharField(_("reason for full personal data"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    total = models.PositiveIntegerField(_("rows expected"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # Rows written so far and when the running job last said so: progress without the cache, and how a job whose
    # worker was killed is told from one still at work.
    done = models.PositiveIntegerField(_("rows written"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    file = models.FileField(upload_to=RandomName("ledgers/exports"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True)

    objects = LedgerJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger export")
        verbose_name_plural = _("ledger exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.ledger} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.ledger

    @property
    def scope(self) -> str:
        """The organization whose subtree the export holds, by name: "" when its user sees the whole county."""
        user = self.user
        return "" if user.sees_everything or user.organization is None else user.organization.name


class ImportBatch(models.Model):
    """A ledger import (台账导入): an uploaded workbook, checked row by row, previewed with its faults, then
    imported as one audited event (all rows or none, unless the user chose to import the valid rows only)."""

    user = models.ForeignKey(User, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="+")
    ledger = models.CharField(_("ledger"), max_length=30)
    file = models.FileField(upload_to=RandomName("ledgers/imports"), max_length=200, blank=True)
    original_name = models.CharField(_("file"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    message = models.TextField(_("problem with the file"), blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with faults"), default=0)
    error_count = models.PositiveIntegerField(_("faults"), default=0)
    # [{"row": Excel row, "column": header ("" for the whole row), "message": ...}], the first ones only: the
    # marked workbook carries every fault.
    errors = models.JSONField(_("faults"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    marked_file = models.FileField(upload_to=RandomName("ledgers/marked"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # When the check or the import was last handed to a worker, and how often: a sweep hands it again when no worker
    # holds it (the broker was down, or the worker was killed), up to a limit.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = LedgerJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.original_name


class ImportRow(models.Model):
    """One row of a checked ledger that creates or changes a record (台账导入明细): its Excel row, name, masked ID
    number and each field's old and new value (masked as in the audit log), listed on the preview before the user
    confirms. A row that gives an existing member another name waits for the user to confirm that very row."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(_("Excel row"))
    action = models.CharField(_("action"), max_length=10)  # "created" or "updated"
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)  # masked
    # {object type: {field: [old, new]}}, read with lanshan_party.audit.describe_changes
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    member_id = models.PositiveIntegerField(null=True, blank=True)  # the member a rename would rename
    needs_confirmation = models.BooleanField(_("renames a member"), default=False)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["batch", "row"]
        indexes = [models.Index(fields=["batch", "row"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row}"


class Heartbeat(models.Model):
    """When a background routine (the sweeps) last ran to its end: what /healthz reports to monitoring."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"at": timezone.now()})
