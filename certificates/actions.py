"""Issuing, checking, handing back and voiding activity certificates (流动党员活动证).

Each step is one transaction: it locks the certificate (or the township's counter), checks the step is still
possible (a stale form or a double submit gets a clear error, not a second step), writes its audit entry, and
copies the certificate onto its outflow's certificate fields, which only these functions write."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    Certificate,
    CertificateCheck,
    CertificateCounter,
    CertificateStatus,
    CheckKind,
    Condition,
    VoidReason,
    home_township,
)
from certificates.numbering import format_number
from lanshan_party import audit
from lanshan_party.models import AuditAction, Role, User
from members.models import Member, Outflow, Standing
from organizations.models import Organization


def sync_outflow(outflow_id: int | None) -> None:
    """The outflow's certificate fields: a copy of the latest certificate issued for it that is not void."""
    if outflow_id is None:
        return
    certificate = (
        Certificate.objects.filter(outflow_id=outflow_id)
        .exclude(status=CertificateStatus.VOID)
        .order_by("-issued_on", "-id")
        .first()
    )
    Outflow.objects.filter(pk=outflow_id).update(
        certificate_number=certificate.number if certificate else "",
        certificate_issued_on=certificate.issued_on if certificate else None,
        certificate_checked_on=certificate.last_checked_on if certificate else None,
    )


def resync_organizations() -> int:
    """Bring every certificate's copies of its member's home branch and flowing organization up to date (what the
    signals keep in step, for changes written in bulk without them). Returns how many were out of step."""
    both = Q(flowing_org__isnull=False, member__flowing_org__isnull=False)
    stale = Certificate.objects.filter(
        ~Q(home_branch=F("member__home_branch"))
        | Q(flowing_org__isnull=True, member__flowing_org__isnull=False)
        | Q(flowing_org__isnull=False, member__flowing_org__isnull=True)
        | (both & ~Q(flowing_org=F("member__flowing_org")))
    )
    ids = list(stale.values_list("pk", flat=True).distinct())
    if ids:
        member = Member.objects.filter(pk=OuterRef("member_id"))
        Certificate.objects.filter(pk__in=ids).update(
            home_branch=Subquery(member.values("home_branch")[:1]),
            flowing_org=Subquery(member.values("flowing_org")[:1]),
        )
    return len(ids)


def _check_day(on: datetime.date, certificate: Certificate) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future. Record what has already happened.")})
    if on < certificate.issued_on:
        raise ValidationError(
            {"on": _("The date is before the certificate was issued (%(date)s).") % {"date": certificate.issued_on}}
        )


def _after_last_check(on: datetime.date, certificate: Certificate) -> None:
    """A hand-back or voiding cannot come before a check already recorded (the certificate was still out then)."""
    if certificate.last_checked_on and on < certificate.last_checked_on:
        raise ValidationError(
            {
                "on": _("The date is before the certificate's last check (%(date)s).")
                % {"date": certificate.last_checked_on}
            }
        )


def _locked(certificate: Certificate) -> Certificate:
    """The certificate locked for this step, refused if it is no longer valid (handed back or voided meanwhile)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != CertificateStatus.VALID:
        raise ValidationError(
            _(
                "This certificate is now “%(status)s”, so this step is no longer possible. "
                "Reload the page to see its current state."
            )
            % {"status": locked.get_status_display()}
        )
    return locked


def allocate_number(township: Organization, year: int) -> tuple[int, str]:
    """The township's next number of the year. The counter row is locked until the transaction ends, so two
    certificates issued at once get consecutive numbers, and a rolled-back issue gives its number back."""
    try:
        with transaction.atomic():
            CertificateCounter.objects.get_or_create(township=township, year=year)
    except IntegrityError:  # created meanwhile by a concurrent issue: lock that one
        pass
    counter = CertificateCounter.objects.select_for_update().get(township=township, year=year)
    sequence = counter.last + 1
    while Certificate.objects.filter(number=format_number(township, year, sequence)).exists():
        sequence += 1  # a number already written in this format before the register kept its counter
    counter.last = sequence
    counter.save(update_fields=["last"])
    return sequence, format_number(township, year, sequence)


@transaction.atomic
def issue_certificate(
    outflow: Outflow, *, by: User, issued_on: datetime.date | None = None, note: str = ""
) -> Certificate:
    """Issue the member's certificate for their open outflow, numbered by their home township."""
    member = Member.objects.select_for_update().get(pk=outflow.member_id)  # one issue per member at a time
    outflow = Outflow.objects.get(pk=outflow.pk)
    member = Member.objects.select_related("home_branch__parent").get(pk=member.pk)
    if not outflow.is_open or member.current_outflow_id != outflow.pk:
        raise ValidationError(_("This outflow has ended: a certificate is issued only to a member who is away."))
    if member.standing != Standing.NORMAL:
        raise ValidationError(
            _("%(name)s is “%(standing)s”: no certificate can be issued.")
            % {"name": member.name, "standing": member.get_standing_display()}
        )
    held = Certificate.objects.filter(member=member, status=CertificateStatus.VALID).first()
    if held is not None:
        raise ValidationError(
            _(
                "%(name)s already holds the valid certificate %(number)s. "
                "Record its hand-back or void it before issuing another."
            )
            % {"name": member.name, "number": held.number}
        )
    township = home_township(member)
    if township is None:
        raise ValidationError(
            _("The member's home branch is not under a township committee, so no township can issue the certificate.")
        )
    if by.role == Role.TOWNSHIP and by.organization_id != township.pk:
        raise ValidationError(
            _("Only the member's home township (%(township)s) issues their certificate.") % {"township": township}
        )
    issued_on = issued_on or timezone.localdate()
    certificate = Certificate(
        member=member,
        outflow=outflow,
        township=township,
        home_branch_id=member.home_branch_id,
        flowing_org_id=member.flowing_org_id,
        year=issued_on.year,
        issued_on=issued_on,
        issued_by=by if by.is_authenticated else None,
        note=note,
    )
    try:
        certificate.clean()
    except ValidationError as error:  # the form calls the issue date "on", as every step's date
        raise ValidationError({"on": [m for messages in error.message_dict.values() for m in messages]}) from None
    certificate.sequence, certificate.number = allocate_number(township, issued_on.year)
    certificate.save()
    audit.record_create(certificate, actor=by, note=f"{member.name} {certificate.number}")
    sync_outflow(outflow.pk)
    return certificate


@transaction.atomic
def record_check(
    certificate: Certificate,
    *,
    by: User,
    on: datetime.date,
    kind: str = CheckKind.YEARLY,
    note: str = "",
) -> CertificateCheck:
    """A yearly check (年审) or inspection (查验) of a valid certificate; the next check is due a year later."""
    certificate = _locked(certificate)
    _check_day(on, certificate)
    if kind not in CheckKind.values:
        raise ValidationError({"kind": _("Choose a yearly check or an inspection.")})
    if CertificateCheck.objects.filter(certificate=certificate, checked_on=on).exists():
        raise ValidationError(
            {"on": _("A check on %(date)s is already recorded for this certificate.") % {"date": on.isoformat()}}
        )
    check = CertificateCheck.objects.create(
        certificate=certificate, kind=kind, checked_on=on, by=by if by.is_authenticated else None, note=note
    )
    before = certificate.last_checked_on
    certificate.last_checked_on = max(filter(None, (before, on)))
    certificate.save(update_fields=["last_checked_on"])
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=certificate,
        changes={"last_checked_on": [str(before) if before else None, str(certificate.last_checked_on)]},
        note=f"{CheckKind(kind).label} {on:%Y-%m-%d} {note}".strip(),
    )
    sync_outflow(certificate.outflow_id)
    return check


@transaction.atomic
def hand_back(certificate: Certificate, *, by: User, on: datetime.date, condition: str, note: str = "") -> Certificate:
    """The member handed the certificate back (on return home, or once it is no longer needed)."""
    certificate = _locked(certificate)
    _check_day(on, certificate)
    _after_last_check(on, certificate)
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Say in what condition the certificate came back.")})
    certificate.status = CertificateStatus.HANDED_BACK
    certificate.handed_back_on = on
    certificate.handed_back_to = by if by.is_authenticated else None
    certificate.condition = condition
    if note:
        certificate.note = note[:200]
    certificate.save()
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=certificate,
        changes={"status": [CertificateStatus.VALID, CertificateStatus.HANDED_BACK]},
        note=f"{_('Handed back')} {on:%Y-%m-%d} {Condition(condition).label} {note}".strip(),
    )
    sync_outflow(certificate.outflow_id)
    return certificate


@transaction.atomic
def void_certificate(
    certificate: Certificate, *, by: User, on: datetime.date, reason: str, note: str = ""
) -> Certificate:
    """The certificate is void (lost, damaged, issued in error): its number stays in the register, never reused."""
    certificate = _locked(certificate)
    _check_day(on, certificate)
    _after_last_check(on, certificate)
    if reason not in VoidReason.values:
        raise ValidationError({"reason": _("Choose why the certificate is void.")})
    if reason == VoidReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why the certificate is void.")})
    certificate.status = CertificateStatus.VOID
    certificate.voided_on = on
    certificate.voided_by = by if by.is_authenticated else None
    certificate.void_reason = reason
    if note:
        certificate.note = note[:200]
    certificate.save()
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=certificate,
        changes={"status": [CertificateStatus.VALID, CertificateStatus.VOID]},
        note=f"{_('Void')} {on:%Y-%m-%d} {VoidReason(reason).label} {note}".strip(),
    )
    sync_outflow(certificate.outflow_id)
    return certificate
