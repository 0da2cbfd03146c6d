"""Who may do what, stated once. Views name the right they need (`required_right`); templates read the same rights
from `rights` in their context (see context_processors.rights). Seeing is a separate matter: every role sees its own
subtree only (lanshan_party.scoping)."""

from enum import StrEnum
from typing import Any

from lanshan_party.models import COUNTY_ROLES, Role


class Right(StrEnum):
    MANAGE_USERS = "manage_users"  # accounts, roles, unlocking sign-ins
    READ_AUDIT_LOG = "read_audit_log"
    MANAGE_ORGANIZATIONS = "manage_organizations"  # the tree, stations, dissolving
    MANAGE_AGREEMENTS = "manage_agreements"  # dual-management agreements
    MANAGE_CATALOG = "manage_catalog"  # the cross-province service catalog
    MANAGE_CAMPAIGNS = "manage_campaigns"  # census campaigns: create, open, close
    IMPORT_ORGANIZATIONS = "import_organizations"  # the organization ledger


RIGHTS: dict[Right, tuple[str, ...]] = {
    Right.MANAGE_USERS: (Role.ADMIN,),
    Right.READ_AUDIT_LOG: (Role.ADMIN,),
    Right.MANAGE_ORGANIZATIONS: COUNTY_ROLES,
    Right.MANAGE_AGREEMENTS: COUNTY_ROLES,
    Right.MANAGE_CATALOG: COUNTY_ROLES,
    Right.MANAGE_CAMPAIGNS: COUNTY_ROLES,
    Right.IMPORT_ORGANIZATIONS: COUNTY_ROLES,
}


def has_right(user: Any, right: Right) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in RIGHTS[right])


def rights_of(user: Any) -> dict[str, bool]:
    """{right: bool} for templates: `{% if rights.manage_organizations %}`."""
    return {right.value: has_right(user, right) for right in Right}
