"""The shared county plus inflow members in 花果村, in the Huadu flowing organization and in 总市村 (one reported
in and one waiting to report in, each), and an activity of each of the three."""

import datetime
from types import SimpleNamespace

import pytest

from inflow.models import InflowStatus
from tests.factories import ActivityFactory
from tests.inflow.factories import InflowMemberFactory


@pytest.fixture
def world(county: SimpleNamespace, on_a_fixed_day: object) -> SimpleNamespace:
    for key, org in (("huaguo", county.huaguo), ("huadu", county.huadu), ("zongshicun", county.zongshicun)):
        setattr(county, f"in_{key}", InflowMemberFactory(name=f"{key}流入", branch=org))
        setattr(
            county,
            f"pending_{key}",
            InflowMemberFactory(name=f"{key}待报到", branch=org, status=InflowStatus.PENDING, reported_on=None),
        )
        setattr(
            county,
            f"act_{key}",
            ActivityFactory(organization=org, date=datetime.date(2026, 3, 1), topic=f"{org.name}的主题党日"),
        )
    return county
