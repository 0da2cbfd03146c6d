"""The shared county with what the API serves: an activity per organization with attendance, census campaigns with
tasks, and one API token for every persona."""

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from api import actions
from members.models import CampaignStatus, CensusCampaign, CensusTask
from tests.factories import ActivityFactory, MemberFactory, attend

# Every persona of tests/conftest.py, and a destination partner's staff (no API right).
API_ROLES = ("admin", "county", "township", "secretary", "branch", "outsider", "partner")
PERSONA = {
    "admin": "admin",
    "county": "county_staff",
    "township": "township",
    "secretary": "secretary",
    "branch": "branch",
    "outsider": "outsider",
    "partner": "partner",
}


@pytest.fixture(autouse=True)
def fresh_rate_counters() -> None:
    cache.clear()


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    w = county
    w.li = MemberFactory(name="李春华", home_branch=w.huaguo)
    w.huang = MemberFactory(name="黄建国", home_branch=w.zongshicun)

    w.act_huaguo = attend(
        ActivityFactory(organization=w.huaguo, date=datetime.date(2026, 3, 1)),
        (w.yuan, "online"),
        (w.li, "present"),
        by=w.admin,
    )
    w.act_huadu = attend(
        ActivityFactory(organization=w.huadu, date=datetime.date(2026, 3, 8)), (w.yuan, "absent"), by=w.admin
    )
    w.act_zongshicun = attend(
        ActivityFactory(organization=w.zongshicun, date=datetime.date(2026, 3, 15)),
        (w.huang, "present"),
        (w.ma, "excused"),
        by=w.admin,
    )

    def campaign(name: str, *organizations: Any) -> CensusCampaign:
        made = CensusCampaign.objects.create(
            name=name,
            starts_on=datetime.date(2026, 1, 20),
            ends_on=datetime.date(2026, 2, 20),
            status=CampaignStatus.OPEN,
        )
        made.organizations.set(organizations)
        return made

    w.camp_tafeng = campaign("塔峰镇春节摸排", w.tafeng)
    w.camp_zongshi = campaign("总市镇春节摸排", w.zongshi)
    w.camp_huadu = campaign("花都春节摸排", w.huadu)
    for task_campaign, member, organization, answered in (
        (w.camp_tafeng, w.yuan, w.huaguo, True),
        (w.camp_tafeng, w.li, w.huaguo, False),
        (w.camp_tafeng, w.qin, w.chengdong, True),
        (w.camp_zongshi, w.huang, w.zongshicun, False),
        (w.camp_huadu, w.yuan, w.huadu, False),
    ):
        CensusTask.objects.create(
            campaign=task_campaign,
            member=member,
            organization=organization,
            home_branch=member.home_branch,
            answered_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC) if answered else None,
        )

    w.tokens = {}
    for role, attribute in PERSONA.items():
        user = getattr(w, attribute)
        token, value = actions.create_token(user, name=f"{role} 的令牌", valid_days=None)
        w.tokens[role] = value
        setattr(w, f"{role}_token", token)
    return w


def api_get(token: str | None, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
    if token is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
    return Client().get(path, data or {}, **headers)
