"""Transfers for the transfer tests: a member of 花果村 at home, and helpers that take a transfer through its steps."""

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from tests.factories import MemberFactory
from transfers import actions
from transfers.models import Transfer

DESTINATION = {
    "other_org": "中共广州市花都区新华街道三东社区委员会",
    "other_province": "广东省",
    "other_city": "广州市",
    "reason": "在花都区定居",
    "contact": "王主任",
    "dues_paid_until": datetime.date(2026, 5, 1),
    "valid_days": 90,
}


def start_out(county: SimpleNamespace, member: Any = None, **changes: Any) -> Transfer:
    return actions.start_transfer_out(member or county.yuan, by=county.branch, **{**DESTINATION, **changes})


def to_county(county: SimpleNamespace, transfer: Transfer) -> Transfer:
    actions.submit(transfer, by=county.branch)
    return actions.approve(transfer, by=county.township)


def issue(county: SimpleNamespace, member: Any = None, **changes: Any) -> Transfer:
    return actions.approve(to_county(county, start_out(county, member, **changes)), by=county.county_staff)


@pytest.fixture
def li(county: SimpleNamespace) -> Any:
    """李春华, at home in 花果村."""
    return MemberFactory(name="李春华", home_branch=county.huaguo, birth_date=datetime.date(1980, 7, 1))
