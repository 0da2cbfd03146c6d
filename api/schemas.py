"""What the API answers with and what it accepts: pydantic schemas (django-ninja), and so the OpenAPI document.

Choice fields are the stored codes, listed in the document as enums taken from the models' choices. Personal data
appears only masked (`id_number_masked`, `phone_masked`): the API has no way to reveal it.
"""

import datetime
from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from activities.models import ActivityType
from members.models import CampaignStatus, Category, Gender, OutflowStatus, Standing
from organizations.models import OrgKind, OrgLevel

# The largest id a filter, a path or a cursor may name (bigint columns; beyond it nothing exists anyway).
MAX_ID = 2**53

# Enums of the stored codes, from the models' choices (so a new choice is in the document at once). Type checkers
# see the codes as plain strings.
if TYPE_CHECKING:
    StandingCode = str
    CategoryCode = str
    GenderCode = str
    OutflowStatusCode = str
    OrgKindCode = str
    OrgLevelCode = str
    ActivityTypeCode = str
    CampaignStatusCode = str
else:
    StandingCode = Literal[tuple(Standing.values)]
    CategoryCode = Literal[tuple(Category.values)]
    GenderCode = Literal[tuple(Gender.values)]
    OutflowStatusCode = Literal[tuple(OutflowStatus.values)]
    OrgKindCode = Literal[tuple(OrgKind.values)]
    OrgLevelCode = Literal[tuple(OrgLevel.values)]
    ActivityTypeCode = Literal[tuple(ActivityType.values)]
    CampaignStatusCode = Literal[tuple(CampaignStatus.values)]


class Error(Schema):
    detail: str = Field(description="What is wrong and what to do, in Chinese")


class OrganizationRef(Schema):
    id: int
    name: str


class OutflowSummary(Schema):
    id: int
    status: OutflowStatusCode
    departure_date: datetime.date
    province: str
    city: str
    district: str
    flowing_org_id: int | None


class MemberOut(Schema):
    id: int
    name: str
    gender: GenderCode
    birth_year: int
    id_number_masked: str
    phone_masked: str
    home_branch: OrganizationRef
    flowing_org: OrganizationRef | None
    category: CategoryCode
    standing: StandingCode
    current_outflow: OutflowSummary | None
    last_life_on: datetime.date | None
    updated_at: datetime.datetime


class OutflowOut(Schema):
    id: int
    member: OrganizationRef = Field(description="The member: id and name")
    status: OutflowStatusCode
    departure_date: datetime.date
    province: str
    city: str
    district: str
    scope: str
    reason: str
    industry: str
    flowing_org: OrganizationRef | None
    partner_org: OrganizationRef | None = Field(description="The destination partner organization of an agreement")
    partner_org_name: str = Field(description="The destination partner organization as written, when not one of ours")
    report_due_on: datetime.date | None
    reported_on: datetime.date | None
    lost_on: datetime.date | None
    lost_cause: str
    ended_on: datetime.date | None
    relationship_transferred: bool
    created_at: datetime.datetime


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrgKindCode
    level: OrgLevelCode
    parent_id: int | None
    path: str = Field(description="Ids from the root down, e.g. /1/5/23/")
    depth: int
    code: str
    province: str
    city: str
    district: str
    is_active: bool


class ActivityOut(Schema):
    id: int
    organization: OrganizationRef
    type: ActivityTypeCode
    date: datetime.date
    topic: str
    hours: float
    place: str
    online: bool
    attended: int = Field(description="Present or online")
    recorded: int = Field(description="Attendance rows recorded")
    updated_at: datetime.datetime


class CampaignOut(Schema):
    id: int
    name: str
    year: int | None
    starts_on: datetime.date
    ends_on: datetime.date
    status: CampaignStatusCode
    tasks: int = Field(description="Census tasks of this campaign within the caller's scope")
    answered: int
    updated_at: datetime.datetime


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item], "next": str | None},  # type: ignore[valid-type]
            "__doc__": "One page of rows in id order, and the link to the next page (null on the last).",
        },
    )


MemberPage = page_of(MemberOut, "MemberPage")
OutflowPage = page_of(OutflowOut, "OutflowPage")
OrganizationPage = page_of(OrganizationOut, "OrganizationPage")
ActivityPage = page_of(ActivityOut, "ActivityPage")
CampaignPage = page_of(CampaignOut, "CampaignPage")


# ---------------------------------------------------------------- query parameters


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200, description="Rows per page, 1 to 200")
    cursor: str | None = Field(None, max_length=200, description="The `next` link's cursor; none for the first page")


class MemberQuery(PageQuery):
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="Only this organization's subtree")
    updated_since: datetime.datetime | None = None
    standing: StandingCode | None = None


class OutflowQuery(PageQuery):
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="Only members of this organization's subtree")
    status: OutflowStatusCode | None = None
    departed_since: datetime.date | None = None


class OrganizationQuery(PageQuery):
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="Only this organization's subtree")
    kind: OrgKindCode | None = None
    active: bool | None = None


class ActivityQuery(PageQuery):
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="Only activities held in this subtree")
    updated_since: datetime.datetime | None = None
    type: ActivityTypeCode | None = None
    date_from: datetime.date | None = None


class CampaignQuery(PageQuery):
    status: CampaignStatusCode | None = None
    updated_since: datetime.datetime | None = None
