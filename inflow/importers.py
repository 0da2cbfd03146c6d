"""The inflow member ledger's importer: every row goes through InflowMemberForm, as on the pages, with the status
columns besides; members matched by citizen ID number (blind index), all within the importing user's scope."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from inflow.forms import InflowMemberForm, receiving_branches
from inflow.models import InflowMember
from lanshan_party import audit
from lanshan_party.ledgers.definitions import Ledger
from lanshan_party.ledgers.importers import NamedOrganizationField, RowFormMixin, RowImporter, stored_values
from lanshan_party.ledgers.imports import Preview, RowResult
from lanshan_party.ledgers.people import first_of_rows, id_number_digest, stored_input
from lanshan_party.ledgers.sheets import Layout, RawRow
from lanshan_party.models import AuditAction, User
from lanshan_party.personal_data import mask_id_number
from members.models import Member
from organizations.models import Organization

STATUS_FIELDS = ["status", "reported_on", "left_on", "left_reason"]
FIELDS = [*InflowMemberForm.Meta.fields, *STATUS_FIELDS]
PERSONAL = ("id_number", "phone", "contact_phone")


class InflowRowForm(RowFormMixin, InflowMemberForm):
    """InflowMemberForm for one ledger row, with the status columns; duplicates are found by the importer."""

    looked_up = ("branch",)
    checks_duplicates = False

    class Meta(InflowMemberForm.Meta):
        fields = FIELDS

    def __init__(self, *args: Any, user: User, branches: Mapping[str, Organization], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("version", None)
        required = self.fields["branch"].error_messages["required"]
        self.fields["branch"] = NamedOrganizationField(
            names=branches,
            keep=self.instance.branch if self.instance.pk else None,
            missing=_(
                "No village, community or flowing branch named “%(name)s” among the organizations you manage. Write "
                "the branch's full official name as in the organization tree."
            ),
            error_messages={"required": required},
        )


@dataclass
class InflowPlan:
    form: InflowRowForm
    write: bool
    before: dict[str, Any] = field(default_factory=dict)


class InflowImporter(RowImporter):
    """Inflow members matched by citizen ID number: one the user may see is updated, a new one is created in a branch
    of the user's. The queries are a fixed number per batch: stored members and our own members by ID number."""

    def __init__(self, ledger: Ledger, user: User, layout: Layout, file_name: str, **kwargs: Any) -> None:
        super().__init__(ledger, user, layout, file_name, **kwargs)
        self.branches = {org.name: org for org in receiving_branches(user)}
        self.seen: dict[str, int] = {}

    def check(self, rows: list[RawRow]) -> Iterator[RowResult]:
        prepared = []
        for raw in rows:
            result = RowResult(raw.number)
            data, bad = self.inputs(raw, result)
            prepared.append((result, data, bad, id_number_digest(data.get("id_number", ""))))
        digests = {digest for *_rest, digest in prepared if digest}
        existing = {
            inflow.id_number_hash: inflow
            for inflow in InflowMember.objects.filter(id_number_hash__in=digests).select_related("branch")
        }
        visible = set(
            InflowMember.objects.visible_to(self.user)
            .filter(pk__in=[inflow.pk for inflow in existing.values()])
            .values_list("pk", flat=True)
        )
        ours = set(Member.objects.filter(id_number_hash__in=digests).values_list("id_number_hash", flat=True))
        for result, data, bad, digest in prepared:
            self._check(result, data, bad, digest, existing, visible, ours)
            yield result

    def _check(
        self,
        result: RowResult,
        data: dict[str, str],
        bad: set[str],
        digest: str,
        existing: dict[str, InflowMember],
        visible: set[int],
        ours: set[str],
    ) -> None:
        id_header = self.header_of["id_number"]
        instance = first_of_rows(
            self.seen,
            result,
            id_header,
            digest,
            existing.get(digest) if digest else None,
            _(
                "The same ID number is already on row %(row)d of this file. An inflow member appears once in a "
                "ledger: remove or merge one of the two rows."
            ),
        )
        if digest in ours:
            result.fault(
                id_header,
                _("This ID number belongs to a member of our own county, who is not an inflow member. Check it."),
            )
        if instance is not None and instance.pk not in visible:
            result.fault(
                id_header,
                _(
                    "An inflow member with this ID number is registered in a branch outside your organization, so "
                    "your ledger cannot change them. Remove the row, or ask the county organization department."
                ),
            )
            return
        before = stored_values(instance, FIELDS) if instance is not None else None
        snapshot = audit.snapshot(instance, FIELDS) if instance is not None else {}
        form = InflowRowForm(self._data(instance, data), instance=instance, user=self.user, branches=self.branches)
        if not form.is_valid():
            self.add_faults(result, form, bad=bad, data=data)
        if result.faults:
            return
        changed = instance is None or stored_values(form.instance, FIELDS) != before
        result.payload = InflowPlan(form=form, write=changed, before=snapshot)
        result.action = "created" if instance is None else ("updated" if changed else "unchanged")
        if changed:
            result.preview = Preview(name=form.instance.name, id_number=mask_id_number(form.instance.id_number))
            if instance is not None:
                after = audit.snapshot(form.instance, FIELDS)
                result.preview.changes = {"inflow.inflowmember": audit.diff(snapshot, after)}

    def _data(self, instance: InflowMember | None, data: dict[str, str]) -> dict[str, str]:
        """The stored member as form input (a new one's defaults), overlaid with the row: columns the file lacks keep
        their values. Personal data starts blank, which for a stored member keeps it (as on the page)."""
        values = stored_input(instance or InflowMember(), FIELDS, PERSONAL, "branch")
        values.update(data)
        return values

    def apply(self, result: RowResult) -> str:
        plan: InflowPlan = result.payload
        if plan.write:
            inflow = plan.form.save()
            if plan.before:
                changes = audit.diff(plan.before, audit.snapshot(inflow, FIELDS))
                result.audited.append((AuditAction.UPDATE, inflow, changes))
            else:
                result.audited.append((AuditAction.CREATE, inflow, audit.diff({}, audit.snapshot(inflow))))
        return result.action
