"""The API's resources, GET only: members (masked), outflows, organizations, activities with attendance counts, and
census campaigns with progress. Every list and every detail starts from the same `visible_to(user)` as the pages, so
a row outside the caller's subtree is not listed and its address is a 404."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from activities.models import Activity, ActivityQuerySet
from api import schemas
from api.models import ApiToken
from api.pagination import paginate
from api.schemas import MAX_ID
from lanshan_party import audit
from lanshan_party.models import AuditAction, User
from lanshan_party.personal_data import mask_id_number, mask_phone
from members.models import CensusCampaign, CensusTask, Member, MemberQuerySet, Outflow
from organizations.models import Organization

router = Router()

ERRORS: dict[int, Any] = {code: schemas.Error for code in (400, 401, 403, 404, 422, 429)}


def _user(request: HttpRequest) -> User:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.user


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _organization(request: HttpRequest, organization_id: int) -> Organization:
    """The organization a filter names, if the caller sees it: else the filter names nothing and is a 404."""
    organization = Organization.objects.visible_to(_user(request)).filter(pk=organization_id).only("path").first()
    if organization is None:
        raise Http404(
            _("There is no organization %(id)d among those you look after. Use an id from /organizations/.")
            % {"id": organization_id}
        )
    return organization


def _one(queryset: QuerySet, pk: int) -> Any:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _audit_read(request: HttpRequest, what: str, rows: int) -> None:
    """One audit entry per request that read member data, naming the token and the number of rows (masked)."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    with translation.override(settings.LANGUAGE_CODE):
        note = _(
            "Read through the API with the token “%(token)s”: %(what)s, %(rows)d rows, personal data masked. "
            "Query: %(query)s"
        ) % {"token": token, "what": what, "rows": rows, "query": request.GET.urlencode() or _("none")}
        label = _("API: %(what)s") % {"what": what}
    audit.record(
        AuditAction.EXPORT,
        actor=token.user,
        obj=token,
        object_repr=label,
        changes={"rows": [None, rows], "masked": [None, True]},
        note=note,
    )


def _ref(organization: Organization | None) -> dict[str, Any] | None:
    return {"id": organization.pk, "name": organization.name} if organization is not None else None


# ---------------------------------------------------------------- members


def _members(request: HttpRequest) -> MemberQuerySet:
    return Member.objects.visible_to(_user(request)).select_related("home_branch", "flowing_org", "current_outflow")


def _member(member: Member) -> dict[str, Any]:
    outflow = member.current_outflow
    return {
        "id": member.pk,
        "name": member.name,
        "gender": member.gender,
        "birth_year": member.birth_date.year,
        "id_number_masked": mask_id_number(member.id_number),
        "phone_masked": mask_phone(member.phone),
        "home_branch": _ref(member.home_branch),
        "flowing_org": _ref(member.flowing_org),
        "category": member.category,
        "standing": member.standing,
        "current_outflow": None
        if outflow is None
        else {
            "id": outflow.pk,
            "status": outflow.status,
            "departure_date": outflow.departure_date,
            "province": outflow.province,
            "city": outflow.city,
            "district": outflow.district,
            "flowing_org_id": outflow.flowing_org_id,
        },
        "last_life_on": member.last_life_on,
        "updated_at": member.updated_at,
    }


@router.get("/members", response={200: schemas.MemberPage, **ERRORS}, url_name="member_list", tags=["members"])
def list_members(request: HttpRequest, filters: Query[schemas.MemberQuery]) -> Any:
    """Members the caller sees, ID numbers and phones masked. Each call is one entry in the audit log."""
    members = _members(request)
    if filters.organization:
        members = members.in_subtree(_organization(request, filters.organization).path)
    if filters.updated_since:
        members = members.filter(updated_at__gte=_aware(filters.updated_since))
    if filters.standing:
        members = members.filter(standing=filters.standing)
    rows, next_link = paginate(request, members, limit=filters.limit, cursor=filters.cursor)
    _audit_read(request, _("member list"), len(rows))
    return {"items": [_member(member) for member in rows], "next": next_link}


@router.get(
    "/members/{member_id}", response={200: schemas.MemberOut, **ERRORS}, url_name="member_detail", tags=["members"]
)
def get_member(request: HttpRequest, member_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    member = _one(_members(request), member_id)
    _audit_read(request, _("member %(id)d") % {"id": member.pk}, 1)
    return _member(member)


# ---------------------------------------------------------------- outflows


def _outflows(request: HttpRequest) -> QuerySet:
    # The member's encrypted columns are never needed here: not even decrypted.
    return (
        Outflow.objects.visible_to(_user(request))
        .select_related("member", "flowing_org", "partner_org")
        .defer("member__id_number", "member__phone", "partner_contact_phone", "address")
    )


def _outflow(outflow: Outflow) -> dict[str, Any]:
    return {
        "id": outflow.pk,
        "member": {"id": outflow.member_id, "name": outflow.member.name},
        "status": outflow.status,
        "departure_date": outflow.departure_date,
        "province": outflow.province,
        "city": outflow.city,
        "district": outflow.district,
        "scope": outflow.scope,
        "reason": outflow.reason,
        "industry": outflow.industry,
        "flowing_org": _ref(outflow.flowing_org),
        "partner_org": _ref(outflow.partner_org),
        "partner_org_name": outflow.partner_org_name,
        "report_due_on": outflow.report_due_on,
        "reported_on": outflow.reported_on,
        "lost_on": outflow.lost_on,
        "lost_cause": outflow.lost_cause,
        "ended_on": outflow.ended_on,
        "relationship_transferred": outflow.relationship_transferred,
        "created_at": outflow.created_at,
    }


@router.get("/outflows", response={200: schemas.OutflowPage, **ERRORS}, url_name="outflow_list", tags=["outflows"])
def list_outflows(request: HttpRequest, filters: Query[schemas.OutflowQuery]) -> Any:
    """Outflows of the members the caller sees, open and closed. Each call is one entry in the audit log."""
    outflows = _outflows(request)
    if filters.organization:
        path = _organization(request, filters.organization).path
        outflows = outflows.filter(member__in=Member.objects.in_subtree(path).values("pk"))
    if filters.status:
        outflows = outflows.filter(status=filters.status)
    if filters.departed_since:
        outflows = outflows.filter(departure_date__gte=filters.departed_since)
    rows, next_link = paginate(request, outflows, limit=filters.limit, cursor=filters.cursor)
    _audit_read(request, _("outflow list"), len(rows))
    return {"items": [_outflow(outflow) for outflow in rows], "next": next_link}


@router.get(
    "/outflows/{outflow_id}", response={200: schemas.OutflowOut, **ERRORS}, url_name="outflow_detail", tags=["outflows"]
)
def get_outflow(request: HttpRequest, outflow_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    outflow = _one(_outflows(request), outflow_id)
    _audit_read(request, _("outflow %(id)d") % {"id": outflow.pk}, 1)
    return _outflow(outflow)


# ---------------------------------------------------------------- organizations


def _organizations(request: HttpRequest) -> QuerySet:
    return Organization.objects.visible_to(_user(request)).defer("contact_phone")


def _organization_out(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "level": organization.level,
        "parent_id": organization.parent_id,
        "path": organization.path,
        "depth": organization.depth,
        "code": organization.code,
        "province": organization.province,
        "city": organization.city,
        "district": organization.district,
        "is_active": organization.is_active,
    }


@router.get(
    "/organizations",
    response={200: schemas.OrganizationPage, **ERRORS},
    url_name="organization_list",
    tags=["organizations"],
)
def list_organizations(request: HttpRequest, filters: Query[schemas.OrganizationQuery]) -> Any:
    """The caller's part of the tree: each organization with its parent and path (build the tree from them)."""
    organizations = _organizations(request)
    if filters.organization:
        organizations = organizations.filter(path__startswith=_organization(request, filters.organization).path)
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.active is not None:
        organizations = organizations.filter(is_active=filters.active)
    rows, next_link = paginate(request, organizations, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_organization_out(organization) for organization in rows], "next": next_link}


@router.get(
    "/organizations/{organization_id}",
    response={200: schemas.OrganizationOut, **ERRORS},
    url_name="organization_detail",
    tags=["organizations"],
)
def get_organization(request: HttpRequest, organization_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return _organization_out(_one(_organizations(request), organization_id))


# ---------------------------------------------------------------- activities


def _activities(request: HttpRequest) -> ActivityQuerySet:
    return Activity.objects.visible_to(_user(request)).select_related("organization").with_attendance()


def _activity(activity: Any) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "organization": _ref(activity.organization),
        "type": activity.type,
        "date": activity.date,
        "topic": activity.topic,
        "hours": float(activity.hours),
        "place": activity.place,
        "online": bool(activity.online_link),
        "attended": activity.attended,
        "recorded": activity.recorded,
        "updated_at": activity.updated_at,
    }


@router.get(
    "/activities", response={200: schemas.ActivityPage, **ERRORS}, url_name="activity_list", tags=["activities"]
)
def list_activities(request: HttpRequest, filters: Query[schemas.ActivityQuery]) -> Any:
    """Activities held in the caller's subtree, each with its attendance counts (counted in the same query)."""
    activities = _activities(request)
    if filters.organization:
        activities = activities.in_subtree(_organization(request, filters.organization).path)
    if filters.updated_since:
        activities = activities.filter(updated_at__gte=_aware(filters.updated_since))
    if filters.type:
        activities = activities.filter(type=filters.type)
    if filters.date_from:
        activities = activities.filter(date__gte=filters.date_from)
    rows, next_link = paginate(request, activities, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_activity(activity) for activity in rows], "next": next_link}


@router.get(
    "/activities/{activity_id}",
    response={200: schemas.ActivityOut, **ERRORS},
    url_name="activity_detail",
    tags=["activities"],
)
def get_activity(request: HttpRequest, activity_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return _activity(_one(_activities(request), activity_id))


# ---------------------------------------------------------------- census campaigns


def _campaigns(request: HttpRequest) -> QuerySet:
    return CensusCampaign.objects.visible_to(_user(request))


def _with_progress(request: HttpRequest, campaigns: list[CensusCampaign]) -> list[dict[str, Any]]:
    """Each campaign with its tasks and answered tasks within the caller's scope: one grouped query for the page."""
    progress: dict[int, Any] = {
        row["campaign_id"]: row
        for row in CensusTask.objects.visible_to(_user(request))
        .filter(campaign_id__in=[campaign.pk for campaign in campaigns])
        .order_by()
        .values("campaign_id")
        .annotate(tasks=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
    }
    return [
        {
            "id": campaign.pk,
            "name": campaign.name,
            "year": campaign.year,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "status": campaign.status,
            "tasks": progress.get(campaign.pk, {}).get("tasks", 0),
            "answered": progress.get(campaign.pk, {}).get("answered", 0),
            "updated_at": campaign.updated_at,
        }
        for campaign in campaigns
    ]


@router.get(
    "/census-campaigns",
    response={200: schemas.CampaignPage, **ERRORS},
    url_name="campaign_list",
    tags=["census"],
)
def list_campaigns(request: HttpRequest, filters: Query[schemas.CampaignQuery]) -> Any:
    """Census campaigns reaching the caller's organization, with their progress in the caller's scope."""
    campaigns = _campaigns(request)
    if filters.status:
        campaigns = campaigns.filter(status=filters.status)
    if filters.updated_since:
        campaigns = campaigns.filter(updated_at__gte=_aware(filters.updated_since))
    rows, next_link = paginate(request, campaigns, limit=filters.limit, cursor=filters.cursor)
    return {"items": _with_progress(request, rows), "next": next_link}


@router.get(
    "/census-campaigns/{campaign_id}",
    response={200: schemas.CampaignOut, **ERRORS},
    url_name="campaign_detail",
    tags=["census"],
)
def get_campaign(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return _with_progress(request, [_one(_campaigns(request), campaign_id)])[0]
