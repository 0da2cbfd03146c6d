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
    ISSUE_CERTIFICATES = "issue_certificates"  # activity certificates: issue (the home township) and void
    KEEP_CERTIFICATES = "keep_certificates"  # the certificate register, its yearly checks and hand-backs
    USE_API = "use_api"  # the read-only API: own tokens, reading through them
    START_TRANSFERS = "start_transfers"  # a branch starts, edits, submits, withdraws transfers of the relationship
    APPROVE_TRANSFERS = "approve_transfers"  # the township's approval of a transfer (or its return for editing)
    ISSUE_TRANSFER_LETTERS = "issue_transfer_letters"  # the county's approval, which issues the numbered letter
    RECORD_TRANSFER_RECEIPTS = "record_transfer_receipts"  # the receipt (回执) of an introduction letter came back
    KEEP_MEMBER_RECORDS = "keep_member_records"  # our side: members, departures, whereabouts, outflow steps
    RECORD_AT_DESTINATION = "record_at_destination"  # a destination partner: report-ins, attendance, evaluation
    RECORD_TERMS = "record_terms"  # organizations' terms: recording an election (换届), extending a term
    KEEP_DUES = "keep_dues"  # Party dues: standards, payments, arrears, the yearly summary, relief requests
    APPROVE_DUES_RELIEF = "approve_dues_relief"  # one level up: a reduction or exemption of dues


RIGHTS: dict[Right, tuple[str, ...]] = {
    Right.MANAGE_USERS: (Role.ADMIN,),
    Right.READ_AUDIT_LOG: (Role.ADMIN,),
    Right.MANAGE_ORGANIZATIONS: COUNTY_ROLES,
    Right.MANAGE_AGREEMENTS: COUNTY_ROLES,
    Right.MANAGE_CATALOG: COUNTY_ROLES,
    Right.MANAGE_CAMPAIGNS: COUNTY_ROLES,
    Right.IMPORT_ORGANIZATIONS: COUNTY_ROLES,
    Right.ISSUE_CERTIFICATES: (*COUNTY_ROLES, Role.TOWNSHIP),
    Right.KEEP_CERTIFICATES: (*COUNTY_ROLES, Role.TOWNSHIP, Role.SECRETARY),
    Right.USE_API: (*COUNTY_ROLES, Role.TOWNSHIP, Role.SECRETARY),
    Right.START_TRANSFERS: (Role.SECRETARY,),
    Right.APPROVE_TRANSFERS: (Role.TOWNSHIP,),
    Right.ISSUE_TRANSFER_LETTERS: COUNTY_ROLES,
    Right.RECORD_TRANSFER_RECEIPTS: (Role.SECRETARY, Role.TOWNSHIP, *COUNTY_ROLES),
    Right.KEEP_MEMBER_RECORDS: (*COUNTY_ROLES, Role.TOWNSHIP, Role.SECRETARY),
    Right.RECORD_AT_DESTINATION: (Role.PARTNER,),
    Right.RECORD_TERMS: (*COUNTY_ROLES, Role.TOWNSHIP),
    Right.KEEP_DUES: (*COUNTY_ROLES, Role.TOWNSHIP, Role.SECRETARY),
    Right.APPROVE_DUES_RELIEF: (*COUNTY_ROLES, Role.TOWNSHIP),
}


def has_right(user: Any, right: Right) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in RIGHTS[right])


def rights_of(user: Any) -> dict[str, bool]:
    """{right: bool} for templates: `{% if rights.manage_organizations %}`."""
    return {right.value: has_right(user, right) for right in Right}
