from lanshan_party.ledgers.definitions import DATE, SERIAL, Column, Ledger, register

VISITS = register(
    Ledger(
        key="visits",
        title="走访台账",
        list_url="toy:visit_list",
        view="tests.toy.views.VisitListView",
        select_related=("organization",),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("走访日期", "visited_on", DATE, 12),
            Column("走访对象", "family", width=12),
            Column("党组织", "organization.name", width=36),
        ),
    )
)
