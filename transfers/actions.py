"""Transfer workflow: every step of a transfer goes through these functions.

Each one locks the transfer, checks the step is allowed from its current status and by the actor's role (so a stale
page or a double submit gets a clear error, not a second step), records a TransferStep for the printable history and
an audit entry. Issuing takes the year's next letter number in the same transaction.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import AuditAction, User
from lanshan_party.personal_data import blind_index
from lanshan_party.rights import Right, has_right
from members import actions as member_actions
from members.models import Member, OutflowStatus, Standing
from transfers.models import (
    EDITABLE_STATUSES,
    Direction,
    LetterCounter,
    StepKind,
    Transfer,
    TransferStatus,
    TransferStep,
    three_months_after,
)

S = TransferStatus

# The member's details the letter names, copied from the member when a transfer out starts.
MEMBER_FIELDS = ("name", "gender", "ethnicity", "birth_date", "id_number", "phone", "category", "joined_on")


def statuses_waiting_on(user: Any) -> tuple[str, ...]:
    """The statuses in which a transfer waits for this user's role (the to-do box, 待办)."""
    if has_right(user, Right.ISSUE_TRANSFER_LETTERS):
        return (S.AT_COUNTY,)
    if has_right(user, Right.APPROVE_TRANSFERS):
        return (S.AT_TOWNSHIP,)
    if has_right(user, Right.START_TRANSFERS):
        return EDITABLE_STATUSES
    return ()


# step → (statuses it may start from, the right it needs)
STEP_RULES: dict[str, tuple[tuple[str, ...], Right]] = {
    StepKind.SUBMIT: (EDITABLE_STATUSES, Right.START_TRANSFERS),
    StepKind.TOWNSHIP_APPROVE: ((S.AT_TOWNSHIP,), Right.APPROVE_TRANSFERS),
    StepKind.COUNTY_APPROVE: ((S.AT_COUNTY,), Right.ISSUE_TRANSFER_LETTERS),
    StepKind.RETURN: ((S.AT_TOWNSHIP, S.AT_COUNTY), Right.APPROVE_TRANSFERS),
    StepKind.WITHDRAW: ((S.DRAFT, S.AT_TOWNSHIP, S.AT_COUNTY, S.RETURNED), Right.START_TRANSFERS),
    StepKind.RECEIPT: ((S.ISSUED,), Right.RECORD_TRANSFER_RECEIPTS),
}


def may_take(user: Any, transfer: Transfer, kind: str) -> bool:
    """Whether the user's role may take this step of this transfer now (scope is the caller's visible_to)."""
    sources, right = STEP_RULES[kind]
    if transfer.status not in sources:
        return False
    if kind == StepKind.RETURN:
        # Each level returns what waits for it: the township at the township, the county at the county.
        level = Right.APPROVE_TRANSFERS if transfer.status == S.AT_TOWNSHIP else Right.ISSUE_TRANSFER_LETTERS
        return has_right(user, level)
    if kind == StepKind.RECEIPT and transfer.direction != Direction.OUT:
        return False
    return has_right(user, right)


def allowed_steps(user: Any, transfer: Transfer) -> list[str]:
    return [kind for kind in STEP_RULES if may_take(user, transfer, kind)]


def _record(transfer: Transfer, kind: str, *, from_status: str, by: User | None, note: str) -> TransferStep:
    step = TransferStep.objects.create(
        transfer=transfer,
        kind=kind,
        from_status=from_status,
        to_status=transfer.status,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    label = str(StepKind(kind).label)
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=transfer,
        changes={"status": [from_status, transfer.status]} if from_status != transfer.status else {},
        note=f"{label}：{note}" if note else label,
    )
    return step


def _locked(transfer: Transfer, kind: str, by: User | None) -> Transfer:
    """The transfer, locked, once the step is checked to be possible now and by this actor."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",)).select_related("home_branch", "member").get(pk=transfer.pk)
    )
    if transfer.status not in STEP_RULES[kind][0]:
        raise ValidationError(
            _("This transfer is now “%(status)s”, so “%(step)s” is not possible. Reload the page to see its state.")
            % {"status": transfer.get_status_display(), "step": StepKind(kind).label}
        )
    if by is not None and not may_take(by, transfer, kind):
        raise PermissionDenied(_("Your role does not take this step."))
    return transfer


def allocate_letter_number(year: int) -> int:
    """The year's next letter number. The counter row is locked until the calling transaction ends, so numbers are
    given in order, once each, and a transaction that rolls back gives its number back (no gaps)."""
    LetterCounter.objects.bulk_create([LetterCounter(year=year)], ignore_conflicts=True)
    counter = LetterCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def check_member_data(transfer: Transfer) -> None:
    """A transfer in creates a member: their details must make a valid member of the receiving branch, who is not
    on our roll already (one who once left us may come back)."""
    member = Member(home_branch=transfer.home_branch, **{field: getattr(transfer, field) for field in MEMBER_FIELDS})
    member.full_clean(exclude=["id_number_hash"], validate_unique=False)
    existing = Member.objects.filter(id_number_hash=blind_index(member.id_number)).select_related("home_branch").first()
    if existing is not None and existing.standing != Standing.TRANSFERRED_OUT:
        raise ValidationError(
            {
                "id_number": _(
                    "A member with this ID number is already on the roll of %(branch)s. Check the number; a member "
                    "moving between our branches is edited on their own page instead."
                )
                % {"branch": existing.home_branch}
            }
        )


@transaction.atomic
def start_transfer_out(member: Member, *, by: User | None, note: str = "", **fields: Any) -> Transfer:
    """The home branch starts moving a member's relationship out of the county: a draft to submit."""
    member = Member.objects.select_for_update().select_related("home_branch").get(pk=member.pk)
    if member.standing != Standing.NORMAL:
        raise ValidationError(
            _("%(name)s is no longer on the roll (%(standing)s): their relationship cannot be transferred.")
            % {"name": member.name, "standing": member.get_standing_display()}
        )
    transfer = Transfer(
        direction=Direction.OUT,
        member=member,
        home_branch=member.home_branch,
        started_by=by,
        **{field: getattr(member, field) for field in MEMBER_FIELDS},
        **fields,
    )
    transfer.full_clean(exclude=["id_number_hash"])
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already has a transfer under way. Finish or withdraw it first.") % {"name": member.name}
        ) from None
    _record(transfer, StepKind.START, from_status="", by=by, note=note)
    return transfer


@transaction.atomic
def start_transfer_in(*, by: User | None, note: str = "", **fields: Any) -> Transfer:
    """A member arrives with a letter from elsewhere: the receiving branch records it, to submit for approval."""
    transfer = Transfer(direction=Direction.IN, started_by=by, **fields)
    transfer.full_clean(exclude=["id_number_hash"])
    check_member_data(transfer)
    transfer.save()
    _record(transfer, StepKind.START, from_status="", by=by, note=note)
    return transfer


def record_edit(transfer: Transfer, *, by: User | None, note: str = "") -> TransferStep:
    """The branch edited a draft or a returned transfer (the edit itself is saved and audited by its form page)."""
    return _record(transfer, StepKind.EDIT, from_status=transfer.status, by=by, note=note)


def _move(transfer: Transfer, kind: str, to: str, *, by: User | None, note: str, **changes: Any) -> Transfer:
    transfer = _locked(transfer, kind, by)
    from_status = transfer.status
    transfer.status = to
    for field, value in changes.items():
        setattr(transfer, field, value)
    transfer.save()
    _record(transfer, kind, from_status=from_status, by=by, note=note)
    return transfer


@transaction.atomic
def submit(transfer: Transfer, *, by: User | None, note: str = "") -> Transfer:
    """The branch sends a draft, or a returned transfer it has edited, to the township."""
    return _move(transfer, StepKind.SUBMIT, S.AT_TOWNSHIP, by=by, note=note, return_reason="")


@transaction.atomic
def return_for_edit(transfer: Transfer, *, by: User | None, note: str) -> Transfer:
    """The township or the county sends the transfer back to the branch, saying what to change."""
    if not note.strip():
        raise ValidationError({"note": _("Say what the branch should change before it submits again.")})
    return _move(transfer, StepKind.RETURN, S.RETURNED, by=by, note=note, return_reason=note)


@transaction.atomic
def withdraw(transfer: Transfer, *, by: User | None, note: str = "") -> Transfer:
    """The branch takes back a transfer not yet issued."""
    return _move(transfer, StepKind.WITHDRAW, S.WITHDRAWN, by=by, note=note)


@transaction.atomic
def approve(transfer: Transfer, *, by: User | None, note: str = "", on: datetime.date | None = None) -> Transfer:
    """The township passes the transfer to the county; the county approves it: a transfer out gets its numbered
    letter, a transfer in puts the member on the receiving branch's roll."""
    current = Transfer.objects.only("status").get(pk=transfer.pk).status
    if current != S.AT_COUNTY:
        return _move(transfer, StepKind.TOWNSHIP_APPROVE, S.AT_COUNTY, by=by, note=note)
    transfer = _move(transfer, StepKind.COUNTY_APPROVE, S.AT_COUNTY, by=by, note=note)
    on = on or timezone.localdate()
    if transfer.direction == Direction.OUT:
        return _issue(transfer, on=on, by=by)
    return _receive(transfer, by=by)


def _issue(transfer: Transfer, *, on: datetime.date, by: User | None) -> Transfer:
    transfer.letter_year = on.year
    transfer.letter_number = allocate_letter_number(on.year)
    transfer.issued_on = on
    # A validity fitting the form's three months on the day it was checked may pass them on a later, shorter
    # stretch of months: the letter then runs to the legal limit.
    transfer.valid_until = min(on + datetime.timedelta(days=transfer.valid_days), three_months_after(on))
    transfer.status = S.ISSUED
    transfer.save()
    _record(transfer, StepKind.ISSUE, from_status=S.AT_COUNTY, by=by, note=transfer.letter_code)
    return transfer


def _receive(transfer: Transfer, *, by: User | None) -> Transfer:
    """Put the member of a transfer in on the branch's roll: a new member, or one who once left us coming back."""
    try:
        check_member_data(transfer)
    except ValidationError as error:
        raise ValidationError(
            _("%(name)s cannot be put on the roll: %(problem)s Return the transfer to the branch to correct it.")
            % {"name": transfer.name, "problem": " ".join(error.messages)}
        ) from None
    existing = Member.objects.select_for_update().filter(id_number_hash=transfer.id_number_hash).first()
    if existing is not None:
        before = audit.snapshot(existing)
        existing.standing = Standing.NORMAL
        existing.home_branch = transfer.home_branch
        existing.save()
        audit.record_update(existing, before, actor=by, note=str(StepKind.RECEIVE.label))
        member = existing
    else:
        member = Member(
            home_branch=transfer.home_branch, **{field: getattr(transfer, field) for field in MEMBER_FIELDS}
        )
        member.save()
        audit.record_create(member, actor=by, note=str(StepKind.RECEIVE.label))
    transfer.member = member
    transfer.status = S.COMPLETED
    transfer.save()
    _record(transfer, StepKind.RECEIVE, from_status=S.AT_COUNTY, by=by, note=transfer.home_branch.name)
    return transfer


@transaction.atomic
def record_receipt(
    transfer: Transfer, *, by: User | None, on: datetime.date, receiving_org: str, note: str = ""
) -> Transfer:
    """The receipt (回执) came back: the member leaves our roll and their time away, if any, ends as transferred."""
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future. Record a receipt that has come back.")})
    locked = _locked(transfer, StepKind.RECEIPT, by)
    if locked.issued_on and on < locked.issued_on:
        raise ValidationError(
            {
                "on": _("The receipt cannot come back before the letter was issued (%(date)s).")
                % {"date": locked.issued_on}
            }
        )
    if not receiving_org.strip():
        raise ValidationError({"receiving_org": _("Name the organization that received the member.")})
    transfer = _move(
        locked,
        StepKind.RECEIPT,
        S.COMPLETED,
        by=by,
        note=note or receiving_org,
        receipt_on=on,
        receipt_org=receiving_org,
    )
    assert transfer.member_id is not None  # a transfer out always names its member
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    outflow = member.current_outflow
    if outflow is not None:
        text = _("Receipt of introduction letter %(code)s from %(org)s") % {
            "code": transfer.letter_code,
            "org": receiving_org,
        }
        day = max(on, outflow.departure_date)
        if outflow.status in (OutflowStatus.REGISTERED, OutflowStatus.REPORTED):
            member_actions.transfer_relationship(outflow, by=by, on=day, note=text)
        else:
            member_actions.close_outflow(outflow, by=by, on=day, note=text)
        member.refresh_from_db()
    # members.actions has no step for a member's standing; the receipt is what ends their place on our roll.
    before = audit.snapshot(member)
    member.standing = Standing.TRANSFERRED_OUT
    member.save()
    audit.record_update(member, before, actor=by, note=transfer.letter_code)
    return transfer


STEPS: dict[str, Callable[..., Transfer]] = {
    StepKind.SUBMIT: submit,
    StepKind.TOWNSHIP_APPROVE: approve,
    StepKind.COUNTY_APPROVE: approve,
    StepKind.RETURN: return_for_edit,
    StepKind.WITHDRAW: withdraw,
}
