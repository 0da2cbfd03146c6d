"""The demo county's organization tree: the county committee, its townships and branches, the 22 flowing
organizations with their stations, and the partner organizations at the destinations."""

import datetime
from dataclasses import dataclass

from lanshan_party.demo import People
from organizations.demo.places import DESTINATIONS, HOME_REGION, PARTNER_ORGS, TOWNSHIPS
from organizations.models import Organization, OrgKind, OrgLevel, Station

APPROVER = "中共蓝山县委组织部"


@dataclass
class Branch:
    """A home branch and how many members it has relative to the others."""

    org_id: int
    short_name: str
    township: str
    yao: bool
    weight: float


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def build_organizations(people: People) -> tuple[dict[str, Organization], list[Branch], list[int | None]]:
    """The county tree, the flowing organizations and the partner directory.

    Returns the organizations demo accounts are bound to, the home branches with their relative sizes,
    and for each destination the flowing organization its members belong to."""
    rng = people.rng
    province, city, county_name = HOME_REGION
    orgs: dict[str, Organization] = {}
    county = Organization.objects.create(
        name="中共蓝山县委员会",
        short_name="蓝山县委",
        kind=OrgKind.COUNTY,
        level=OrgLevel.COMMITTEE,
        province=province,
        city=city,
        district=county_name,
    )
    orgs["county"] = county

    branches: list[Branch] = []
    for township_name, yao, branch_names in TOWNSHIPS:
        township = Organization.objects.create(
            name=f"中共蓝山县{township_name}委员会",
            short_name=township_name,
            kind=OrgKind.TOWNSHIP,
            level=OrgLevel.COMMITTEE,
            parent=county,
            province=province,
            city=city,
            district=county_name,
            secretary_name=people.name(rng.random() < 0.8),
            contact_phone=people.phone(),
        )
        orgs[township_name] = township
        for branch_name in branch_names[: rng.randint(2, 5)]:
            branch = Organization.objects.create(
                name=f"中共蓝山县{township_name}{branch_name}支部委员会",
                short_name=branch_name,
                kind=OrgKind.COMMUNITY if branch_name.endswith("社区") else OrgKind.VILLAGE,
                level=OrgLevel.BRANCH,
                parent=township,
                province=province,
                city=city,
                district=county_name,
                secretary_name=people.name(rng.random() < 0.8, yao),
                contact_phone=people.phone(),
            )
            orgs[branch_name] = branch
            # Town-seat communities are bigger than mountain villages.
            weight = rng.uniform(0.6, 1.4) * (1.6 if branch_name.endswith("社区") else 1) * (0.7 if yao else 1)
            branches.append(Branch(branch.pk, branch_name, township_name, yao, weight))

    destination_orgs: list[int | None] = []
    for dest in DESTINATIONS:
        spec = dest.flowing
        if spec is None:
            destination_orgs.append(None)
            continue
        general = spec.level == OrgLevel.GENERAL_BRANCH
        org = Organization.objects.create(
            name=f"中共蓝山县驻{spec.place}流动党员{'总支部' if general else '支部'}委员会",
            short_name=f"驻{spec.short_place}{'总支' if general else '支部'}",
            kind=OrgKind.FLOWING,
            level=spec.level,
            parent=county,
            founded=spec.founded,
            province=dest.province,
            city=dest.city,
            district=dest.district,
            address=spec.address,
            basis=spec.basis,
            secretary_name=people.name(True),  # replaced by one of its members once they exist
            contact_phone=people.phone(),
            approved_by=APPROVER,
            approval_date=spec.founded - _days(rng.randint(7, 30)),
        )
        orgs[spec.short_place] = org
        destination_orgs.append(org.pk)
        Station.objects.bulk_create(
            Station(
                organization=org,
                name=station.name,
                address=station.address,
                opened_on=station.opened_on,
                funding=list(station.funding),
                duties=station.duties,
            )
            for station in spec.stations
        )

    # Same rule as members.actions.match_flowing_org: the district's organization, else the city's
    # first one (by id, i.e. creation order), else none.
    for i, dest in enumerate(DESTINATIONS):
        if destination_orgs[i] is None:
            destination_orgs[i] = next(
                (
                    org_id
                    for other, org_id in zip(DESTINATIONS, destination_orgs, strict=True)
                    if other.flowing and (other.province, other.city) == (dest.province, dest.city)
                ),
                None,
            )

    for name, partner_province, partner_city, district in PARTNER_ORGS:
        Organization.objects.create(
            name=name,
            short_name=name.removeprefix("中共"),
            kind=OrgKind.PARTNER,
            level=OrgLevel.COMMITTEE,
            province=partner_province,
            city=partner_city,
            district=district,
        )
    return orgs, branches, destination_orgs
