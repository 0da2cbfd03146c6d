"""The member ledger's importer: every row goes through MemberForm with OutflowForm, as on the pages, and outflows
change only through the workflow functions of members.actions, all within the importing user's scope."""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.ledgers.definitions import Ledger
from lanshan_party.ledgers.importers import (
    OUTFLOW,
    NamedOrganizationField,
    RowFormMixin,
    RowImporter,
    as_input,
    stored_values,
)
from lanshan_party.ledgers.imports import Preview, RowResult
from lanshan_party.ledgers.people import first_of_rows, id_number_digest, stored_input
from lanshan_party.ledgers.sheets import Layout, RawRow
from lanshan_party.models import AuditAction, User
from lanshan_party.personal_data import mask_id_number
from members import actions
from members.filters import NOT_AWAY, STATUS_CHOICES
from members.forms import MemberForm, OutflowForm
from members.models import LostCause, Member, Outflow, OutflowEventKind, OutflowStatus
from organizations.models import Organization


class MemberRowForm(RowFormMixin, MemberForm):
    """MemberForm for one ledger row: its fields, rules and messages, less what a ledger does not carry (tags, the
    stale-edit check). The ID number is matched by the importer, which reports duplicates within the file."""

    looked_up = ("home_branch",)
    checks_duplicates = False

    class Meta(MemberForm.Meta):
        fields = [name for name in MemberForm.Meta.fields if name != "tags"]

    def __init__(self, *args: Any, user: User, branches: Mapping[str, Organization], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("version", None)
        required = self.fields["home_branch"].error_messages["required"]
        self.fields["home_branch"] = NamedOrganizationField(
            names=branches,
            keep=self.instance.home_branch if self.instance.pk else None,
            missing=_(
                "No village or community branch named “%(name)s” among the organizations you manage. Write the "
                "branch's full official name as in the organization tree."
            ),
            error_messages={"required": required},
        )


class OutflowRowForm(RowFormMixin, OutflowForm):
    looked_up = ("flowing_org",)

    def __init__(self, *args: Any, user: User, flowing: Mapping[str, Organization], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["flowing_org"] = NamedOrganizationField(
            names=flowing,
            keep=self.instance.flowing_org if self.instance.flowing_org_id else None,
            missing=_(
                "No flowing organization named “%(name)s” among those you manage or at this destination. Write its "
                "full official name, or leave the cell empty to assign the one at the destination automatically."
            ),
            required=False,
        )
        # The ledger has no column for it: an imported row leaves the outflow's destination partner as it is.
        del self.fields["partner_org"]


MEMBER_FIELDS = [name for name in MemberForm.Meta.fields if name != "tags"]
OUTFLOW_FIELDS = [name for name in OutflowForm.Meta.fields if name != "partner_org"]
OPEN = (OutflowStatus.REGISTERED, OutflowStatus.REPORTED, OutflowStatus.LOST)


@dataclass
class MemberPlan:
    form: MemberRowForm
    new: bool
    changed: bool
    register: dict[str, Any] | None = None
    update: dict[str, Any] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)  # the stored member's audit snapshot
    outflow_changes: dict[str, list[Any]] = field(default_factory=dict)  # for the preview, masked
    status: tuple[str | None, str] | None = None  # the outflow status before and after, when it moves
    lost_cause: str = ""  # when the row marks the member lost: the cause and the day (None: today)
    lost_on: datetime.date | None = None


def transition_path(status: str, before_lost: str, target: str) -> list[str] | None:
    """The workflow steps (members.actions.TRANSITIONS) that take an outflow from its status to the target, fewest
    first; None when the workflow allows no way there (e.g. from reported back to registered)."""
    if status == target:
        return []
    frontier: list[tuple[str, str, list[str]]] = [(status, before_lost, [])]
    for _depth in range(3):
        following = []
        for current, lost_from, path in frontier:
            for event, (sources, destination) in actions.TRANSITIONS.items():
                if event == OutflowEventKind.CLOSE or current not in sources:
                    continue
                reached = destination or lost_from or OutflowStatus.REGISTERED
                steps = [*path, event]
                if reached == target:
                    return steps
                following.append((reached, current if destination == OutflowStatus.LOST else "", steps))
        frontier = following
    return None


class MemberImporter(RowImporter):
    """Members matched by citizen ID number (blind index): an existing member the user may see is updated, a new one
    created in a home branch of the user's. Destination columns register or update the outflow and move its status,
    through the workflow."""

    def __init__(self, ledger: Ledger, user: User, layout: Layout, file_name: str, **kwargs: Any) -> None:
        not_away = dict(STATUS_CHOICES)[NOT_AWAY]
        self.extra_choices = {"outflow.status": {str(not_away): ""}}
        super().__init__(ledger, user, layout, file_name, **kwargs)
        visible = Organization.objects.visible_to(user)
        self.branches = {org.name: org for org in visible.home_branches().active()}
        self.flowing = {org.name: org for org in visible.flowing().active()}
        self.matched: dict[tuple[str, str, str], Organization | None] = {}
        self.seen: dict[str, int] = {}  # ID number's blind index → the row it first appears on
        fields = {column.field for column in self.present}
        self.outflow_columns = "outflow.status" in fields or "outflow.departure_date" in fields
        self.note = _("Imported from the ledger “%(file)s”.") % {"file": file_name}

    def workflow_prefix(self, result: RowResult) -> str:
        return OUTFLOW if isinstance(result.payload, MemberPlan) else ""

    def check(self, rows: list[RawRow]) -> Iterator[RowResult]:
        prepared = []
        digests: set[str] = set()
        for raw in rows:
            result = RowResult(raw.number)
            data, bad = self.inputs(raw, result)
            digest = id_number_digest(data.get("id_number", ""))
            digests.add(digest)
            prepared.append((result, data, bad, digest))
        digests.discard("")
        existing = {
            member.id_number_hash: member
            for member in Member.objects.filter(id_number_hash__in=digests).select_related(
                "home_branch", "flowing_org", "current_outflow__flowing_org"
            )
        }
        visible: set[int] = set()
        if existing:
            ids = [member.pk for member in existing.values()]
            visible = set(Member.objects.visible_to(self.user).filter(pk__in=ids).values_list("pk", flat=True))
        for result, data, bad, digest in prepared:
            self._check(result, data, bad, digest, existing, visible)
            yield result

    def _check(
        self,
        result: RowResult,
        data: dict[str, str],
        bad: set[str],
        digest: str,
        existing: dict[str, Member],
        visible: set[int],
    ) -> None:
        id_header = self.header_of["id_number"]
        instance = first_of_rows(
            self.seen,
            result,
            id_header,
            digest,
            existing.get(digest) if digest else None,
            _(
                "The same ID number is already on row %(row)d of this file. A member appears once in a ledger: "
                "remove or merge one of the two rows."
            ),
        )
        if instance is not None and instance.pk not in visible:
            result.fault(
                id_header,
                _(
                    "A member with this ID number is registered outside your organization, so your ledger cannot "
                    "change them. Remove the row, or ask the county organization department."
                ),
            )
            return
        before = stored_values(instance, MEMBER_FIELDS) if instance is not None else None
        # Taken before the form writes the row into the instance: the old values of the preview and the audit entry.
        snapshot = audit.snapshot(instance, MEMBER_FIELDS) if instance is not None else {}
        form = MemberRowForm(
            self._member_data(instance, data), instance=instance, user=self.user, branches=self.branches
        )
        if not form.is_valid():
            self.add_faults(result, form, bad=bad, data=data)
        plan = MemberPlan(form=form, new=instance is None, changed=False, before=snapshot)
        if self.outflow_columns:
            self._check_outflow(result, plan, data, bad, instance)
        if result.faults:
            return
        plan.changed = instance is not None and stored_values(form.instance, MEMBER_FIELDS) != before
        result.payload = plan
        if plan.new:
            result.action = "created"
        else:
            result.action = "updated" if plan.changed or plan.update or plan.register or plan.events else "unchanged"
        if result.action == "unchanged":
            return
        preview = Preview(name=form.instance.name, id_number=mask_id_number(form.instance.id_number))
        if instance is not None:
            changes = audit.diff(snapshot, audit.snapshot(form.instance, MEMBER_FIELDS))
            preview.changes = {
                key: value
                for key, value in (("members.member", changes), ("members.outflow", plan.outflow_changes))
                if value
            }
            if "name" in changes:
                # The ID number says this is a member we know, the name says someone else: a typo in the ID number
                # would otherwise silently rename and re-home that member. Only the user's tick on this row lets it.
                preview.member_id, preview.needs_confirmation = instance.pk, True
                if (result.row, instance.pk) not in self.confirmed:
                    result.fault(
                        self.header_of["name"],
                        _(
                            "The member registered with this ID number is named “%(old)s”, but this row says "
                            "“%(new)s”. If it is the same person under a new name, tick this row under “Renamed "
                            "members” on the preview to confirm it; otherwise correct the ID number."
                        )
                        % {"old": snapshot.get("name", ""), "new": form.instance.name},
                    )
        result.preview = preview

    def _member_data(self, instance: Member | None, data: dict[str, str]) -> dict[str, str]:
        """The stored member as form input (a new one's defaults), overlaid with the row: columns the file lacks
        keep their values. ID number and phone start blank, which for a stored member keeps them (as on the page)."""
        values = stored_input(instance or Member(), MEMBER_FIELDS, ("id_number", "phone"), "home_branch")
        values.update({key: value for key, value in data.items() if not key.startswith(OUTFLOW)})
        return values

    def _check_outflow(
        self, result: RowResult, plan: MemberPlan, data: dict[str, str], bad: set[str], instance: Member | None
    ) -> None:
        given = {key.removeprefix(OUTFLOW): value for key, value in data.items() if key.startswith(OUTFLOW)}
        status = given.pop("status", "")
        transferred = given.pop("relationship_transferred", "")
        lost = (given.pop("lost_cause", ""), given.pop("lost_on", ""))
        current = instance.current_outflow if instance is not None else None
        status_header = self.header_of["outflow.status"]
        if "outflow.status" in bad:
            return
        target = status
        if transferred == "on":
            if target and target != OutflowStatus.TRANSFERRED:
                result.fault(
                    self.header_of["outflow.relationship_transferred"],
                    _(
                        "是 here means the relationship was transferred out, which ends the outflow, but the status "
                        "says “%(status)s”. Make the two columns agree."
                    )
                    % {"status": OutflowStatus(target).label},
                )
                return
            target = OutflowStatus.TRANSFERRED
        if not target:
            if not any(given.values()):
                if current is not None:
                    result.fault(
                        status_header,
                        _(
                            "This member is away in the platform (%(status)s) but the row leaves the outflow "
                            "empty. To record the return, write 已返乡; otherwise fill in the outflow as exported."
                        )
                        % {"status": current.get_status_display()},
                    )
                return
            target = current.status if current is not None else OutflowStatus.REGISTERED
        if not self._check_lost(result, plan, lost, bad, current, target):
            return
        if target in (OutflowStatus.RETURNED, OutflowStatus.TRANSFERRED):
            if current is None:
                result.fault(
                    status_header,
                    _(
                        "“%(status)s” ends an outflow, but this member has no open outflow in the platform. Leave "
                        "the status empty for a member at home."
                    )
                    % {"status": OutflowStatus(target).label},
                )
                return
            self._plan_steps(result, plan, current.status, current.status_before_lost, target)
            return
        if target not in OPEN:
            result.fault(
                status_header,
                _(
                    "A ledger cannot set the status “%(status)s”. Record it on the member's page, or write one of "
                    "已登记、已报到、失联、已返乡、组织关系已转出."
                )
                % {"status": OutflowStatus(target).label},
            )
            return
        self._check_whereabouts(result, plan, data, bad, given, current, target)

    def _check_whereabouts(
        self,
        result: RowResult,
        plan: MemberPlan,
        data: dict[str, str],
        bad: set[str],
        given: dict[str, str],
        current: Outflow | None,
        target: str,
    ) -> None:
        outflow = current if current is not None else Outflow()
        before = stored_values(outflow, OUTFLOW_FIELDS) if current is not None else None
        snapshot = audit.snapshot(current, OUTFLOW_FIELDS) if current is not None else {}
        outflow.member = plan.form.instance  # the birth-date check reads it; no query
        values = {
            name: "" if name == "partner_contact_phone" else as_input(getattr(outflow, name)) for name in OUTFLOW_FIELDS
        }
        values.update({name: value for name, value in given.items() if name in values})
        flowing = dict(self.flowing)
        match = self._match(values.get("province", ""), values.get("city", ""), values.get("district", ""))
        if match is not None:
            flowing[match.name] = match  # what leaving the cell empty would assign anyway
        form = OutflowRowForm(values, instance=outflow, user=self.user, flowing=flowing)
        if not form.is_valid():
            self.add_faults(result, form, prefix=OUTFLOW, bad=bad, data=data)
            return
        fields = form.outflow_fields()
        birth = plan.form.cleaned_data.get("birth_date") if plan.form.is_valid() else None
        if current is None and birth and fields["departure_date"] and fields["departure_date"] < birth:
            # Outflow.clean compares with a saved member's birth date; a member new in this row is not saved yet.
            result.fault(
                self.header_of["outflow.departure_date"],
                _("The departure date is before the member's birth date. Check the year."),
            )
            return
        plan.outflow_changes = audit.diff(snapshot, audit.snapshot(form.instance, OUTFLOW_FIELDS))
        if current is None:
            plan.register = fields
            self._plan_steps(result, plan, OutflowStatus.REGISTERED, "", target)
            if plan.events is not None:
                plan.outflow_changes["status"] = [None, target]
            return
        after = stored_values(form.instance, OUTFLOW_FIELDS)
        plan.update = {
            name: fields[name] for name, old, new in zip(OUTFLOW_FIELDS, before, after, strict=True) if old != new
        }
        self._plan_steps(result, plan, current.status, current.status_before_lost, target)

    def _check_lost(
        self,
        result: RowResult,
        plan: MemberPlan,
        lost: tuple[str, str],
        bad: set[str],
        current: Outflow | None,
        target: str,
    ) -> bool:
        """The cause and date of lost contact agree with the status; a member the row marks lost takes them (a
        cause is required: the lost register is kept by the seven official causes, never a silent “Other”)."""
        cause, day = lost
        if "outflow.lost_cause" in bad or "outflow.lost_on" in bad:
            return False
        cause_header = self.header_of["outflow.lost_cause"]
        if target != OutflowStatus.LOST:
            # A lost member's row as exported, with its status changed (found, returned): its old cells are history.
            exported = current is not None and (cause, day) in (
                (current.lost_cause, as_input(current.lost_on)),
                (current.lost_cause, ""),
            )
            if (cause or day) and not exported:
                result.fault(
                    cause_header if cause else self.header_of["outflow.lost_on"],
                    _(
                        "Only a member whose status is 失联 has a cause and date of lost contact. Clear the cell, or "
                        "write 失联 as the status."
                    ),
                )
                return False
            return True
        if not cause:
            causes = "、".join(str(label) for _value, label in LostCause.choices)
            result.fault(
                cause_header, _("A lost member needs the cause of lost contact: %(causes)s.") % {"causes": causes}
            )
            return False
        lost_on = datetime.date.fromisoformat(day) if day else None
        if current is not None and current.status == OutflowStatus.LOST:
            if cause != current.lost_cause or (lost_on is not None and lost_on != current.lost_on):
                result.fault(
                    cause_header,
                    _(
                        "This member has been lost since %(date)s, for “%(cause)s”. To change the cause or the date, "
                        "mark them found and lost again on the member's page."
                    )
                    % {"date": current.lost_on or "—", "cause": current.get_lost_cause_display()},
                )
                return False
            return True
        plan.lost_cause, plan.lost_on = cause, lost_on
        return True

    def _plan_steps(self, result: RowResult, plan: MemberPlan, status: str, before_lost: str, target: str) -> None:
        steps = transition_path(status, before_lost, target)
        if steps is None:
            result.fault(
                self.header_of["outflow.status"],
                _(
                    "The outflow is now “%(now)s” and the workflow cannot take it to “%(target)s”. Correct the "
                    "status, or record what happened on the member's page."
                )
                % {"now": OutflowStatus(status).label, "target": OutflowStatus(target).label},
            )
            return
        plan.events = steps
        if steps:
            plan.outflow_changes["status"] = [status, target]

    def _match(self, province: str, city: str, district: str) -> Organization | None:
        key = (province.strip(), city.strip(), district.strip())
        if not (key[0] and key[1]):
            return None
        if key not in self.matched:  # one query per distinct destination in the whole file
            self.matched[key] = actions.match_flowing_org(*key)
        return self.matched[key]

    def apply(self, result: RowResult) -> str:
        plan: MemberPlan = result.payload
        member = plan.form.save() if plan.new or plan.changed else plan.form.instance
        if plan.new:
            result.audited.append((AuditAction.CREATE, member, audit.diff({}, audit.snapshot(member))))
        elif plan.changed and (changes := audit.diff(plan.before, audit.snapshot(member, MEMBER_FIELDS))):
            result.audited.append((AuditAction.UPDATE, member, changes))
        outflow = member.current_outflow
        if plan.register is not None:
            outflow = actions.register_outflow(member, by=self.user, note=self.note, **plan.register)
        elif plan.update:
            outflow = actions.update_whereabouts(outflow, by=self.user, note=self.note, **plan.update)
        for event in plan.events:
            if event == OutflowEventKind.LOSE:
                outflow = actions.mark_lost(
                    outflow, cause=plan.lost_cause, on=plan.lost_on, by=self.user, note=self.note
                )
            else:
                outflow = actions.STEPS[event](outflow, by=self.user, note=self.note)
        return result.action
