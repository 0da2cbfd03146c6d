"""The organization ledger's importer: every row goes through OrganizationForm, as on the page, parents by name (a
parent may be on an earlier row of the same file)."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.ledgers.definitions import Ledger
from lanshan_party.ledgers.importers import NamedOrganizationField, RowFormMixin, RowImporter, as_input, stored_values
from lanshan_party.ledgers.imports import Preview, RowResult
from lanshan_party.ledgers.sheets import Layout, RawRow
from lanshan_party.models import AuditAction, User
from organizations.forms import OrganizationForm
from organizations.models import Organization


class OrganizationRowForm(RowFormMixin, OrganizationForm):
    looked_up = ("parent",)

    def __init__(self, *args: Any, user: User, parents: Mapping[str, Organization], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("secretary", None)  # not in a ledger (its secretary is a name): the stored one stays
        self.fields["parent"] = NamedOrganizationField(
            names=parents,
            keep=self.instance.parent if self.instance.pk and self.instance.parent_id else None,
            missing=_(
                "No organization named “%(name)s” in the tree. Write the parent's full official name; if it is "
                "further down in this file, move its row above this one."
            ),
            required=False,
        )


ORGANIZATION_FIELDS = [name for name in OrganizationForm.Meta.fields if name != "secretary"]


@dataclass
class OrganizationPlan:
    form: OrganizationRowForm
    write: bool
    before: dict[str, Any] = field(default_factory=dict)


class OrganizationImporter(RowImporter):
    """Organizations matched by full name. A parent may be an organization created by an earlier row, so checking
    applies each row as it goes (in a transaction rolled back when only previewing). Only the county-level roles
    manage organizations (Ledger.import_roles)."""

    writes_during_check = True

    def __init__(self, ledger: Ledger, user: User, layout: Layout, file_name: str, **kwargs: Any) -> None:
        super().__init__(ledger, user, layout, file_name, **kwargs)
        self.known = {org.name: org for org in Organization.objects.visible_to(user).select_related("parent")}
        self.parents = {name: org for name, org in self.known.items() if org.is_active and org.kind != "partner"}
        self.seen: dict[str, int] = {}

    def check(self, rows: list[RawRow]) -> Iterator[RowResult]:
        for raw in rows:
            result = RowResult(raw.number)
            data, bad = self.inputs(raw, result)
            name = " ".join(data.get("name", "").split())
            first = self.seen.setdefault(name, result.row) if name else result.row
            if first != result.row:
                result.fault(
                    self.header_of["name"],
                    _("The same organization is already on row %(row)d of this file. Keep one of the two rows.")
                    % {"row": first},
                )
                yield result
                continue
            instance = self.known.get(name)
            before = stored_values(instance, ORGANIZATION_FIELDS) if instance is not None else None
            snapshot = audit.snapshot(instance, ORGANIZATION_FIELDS) if instance is not None else {}
            form = OrganizationRowForm(
                self._data(instance, data), instance=instance, user=self.user, parents=self.parents
            )
            if not form.is_valid():
                self.add_faults(result, form, bad=bad, data=data)
            elif bad:
                pass  # the unreadable cells are the faults
            else:
                changed = instance is None or stored_values(form.instance, ORGANIZATION_FIELDS) != before
                result.payload = OrganizationPlan(form=form, write=changed, before=snapshot)
                result.action = "created" if instance is None else ("updated" if changed else "unchanged")
                if changed:
                    result.preview = Preview(name=form.instance.name)
                    if instance is not None:
                        after = audit.snapshot(form.instance, ORGANIZATION_FIELDS)
                        result.preview.changes = {"organizations.organization": audit.diff(snapshot, after)}
            yield result

    def _data(self, instance: Organization | None, data: dict[str, str]) -> dict[str, str]:
        organization = instance or Organization()
        values = {name: as_input(getattr(organization, name, None)) for name in ORGANIZATION_FIELDS if name != "parent"}
        values["parent"] = organization.parent.name if organization.parent_id else ""
        values.update(data)
        return values

    def apply(self, result: RowResult) -> str:
        plan: OrganizationPlan = result.payload
        if plan.write:
            organization = plan.form.save()
            if plan.before:
                changes = audit.diff(plan.before, audit.snapshot(organization, ORGANIZATION_FIELDS))
                result.audited.append((AuditAction.UPDATE, organization, changes))
            else:
                result.audited.append((AuditAction.CREATE, organization, audit.diff({}, audit.snapshot(organization))))
            self.known[organization.name] = organization
            if organization.is_active and organization.kind != "partner":
                self.parents[organization.name] = organization
        return result.action
