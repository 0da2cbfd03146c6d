"""Workflows over organizations that touch more than one row: each a typed function, in one transaction, audited."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import User
from organizations.models import Organization


class DissolveRefused(Exception):
    """The organization still has what a dissolved one must not have; `reasons` says what, in words for the user."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def dissolve_blockers(org: Organization) -> list[str]:
    """Why the organization cannot be dissolved yet (empty when it can): what still hangs on it."""
    from members.models import Member, Outflow

    reasons = []
    active_children = org.children.filter(is_active=True).count()
    if active_children:
        reasons.append(
            _("%(n)d sub-organizations are still active: dissolve or move them first.") % {"n": active_children}
        )
    home = Member.objects.filter(home_branch=org).count()
    if home:
        reasons.append(_("%(n)d members still have this as their home branch: move them first.") % {"n": home})
    users = org.users.filter(is_active=True).count()
    if users:
        reasons.append(
            _("%(n)d active user accounts belong to this organization: move or disable them first.") % {"n": users}
        )
    flowing = Outflow.objects.open().filter(flowing_org=org).count()
    if flowing:
        reasons.append(
            _("%(n)d open outflows are under this flowing organization: reassign them first.") % {"n": flowing}
        )
    return reasons


@transaction.atomic
def dissolve_organization(org: Organization, *, on: datetime.date, by: User) -> bool:
    """Dissolve the organization as of `on`, with its audit entry, in one transaction. False when it was dissolved
    already; DissolveRefused when something still hangs on it. The row is locked, so two dissolves do one."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        return False
    reasons = dissolve_blockers(org)
    if reasons:
        raise DissolveRefused(reasons)
    before = audit.snapshot(org)
    org.is_active = False
    org.dissolved_on = on
    org.save(update_fields=["is_active", "dissolved_on"])
    audit.record_update(org, before, actor=by, note=_("Dissolved"))
    return True
