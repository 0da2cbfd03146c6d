"""The organization ledger (党组织台账): exported from the organization ledger page and imported, parents by name."""

from django.utils.translation import gettext_lazy as _

from lanshan_party.ledgers.definitions import CHOICE, DATE, DATE_HELP, ORG_HELP, PHONE, SERIAL, Column, Ledger, register
from lanshan_party.rights import RIGHTS, Right
from organizations.models import Basis, OrgKind, OrgLevel

ORGANIZATIONS = register(
    Ledger(
        key="organizations",
        title=_("Party organization ledger"),
        list_url="organizations:organization_ledger",
        view="organizations.views.OrganizationLedgerView",
        select_related=("parent",),
        defer=("parent__contact_phone",),
        importer="organizations.importers.OrganizationImporter",
        import_roles=RIGHTS[Right.IMPORT_ORGANIZATIONS],
        description=_(
            "One row per organization, matched by its full name: an organization already in the tree is updated, a new "
            "one is added. A parent must be in the tree already or on an earlier row of the same file."
        ),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("组织名称", "name", width=40, field="name", required=True),
            Column("组织类别", "kind", CHOICE, 14, OrgKind, "kind", required=True),
            Column("组织层级", "level", CHOICE, 10, OrgLevel, "level"),
            Column("上级党组织", "parent.name", width=36, field="parent", help=ORG_HELP),
            Column("所在省", "province", width=10, field="province"),
            Column("所在市", "city", width=10, field="city"),
            Column("所在县区", "district", width=10, field="district"),
            Column("成立时间", "founded", DATE, 12, field="founded", help=DATE_HELP),
            Column("组建依托", "basis", CHOICE, 12, Basis, "basis"),
            Column("书记姓名", "secretary_name", width=10, field="secretary_name"),
            Column("联系电话", "contact_phone", PHONE, 14, field="contact_phone"),
        ),
    )
)
