"""Dues test helpers: a confirmed standard for a member and year, and members entered long ago."""

import datetime
from decimal import Decimal

import pytest

from dues import actions
from dues.models import DuesStandard
from members.models import Member, Outflow


def give_standard(member, year: int = 2026, basis: str = "employed", income: str | None = "4000", *, by, confirm=True):
    standard = DuesStandard(
        member=member, year=year, basis=basis, monthly_income=Decimal(income) if income is not None else None
    )
    actions.save_standard(standard, by=by)
    if confirm:
        actions.confirm_standard(standard, by=by)
    standard.refresh_from_db()
    return standard


def give_certificate(member, number: str = "LS202600001") -> None:
    Outflow.objects.filter(pk=member.current_outflow_id).update(certificate_number=number)
    member.refresh_from_db()


def entered_long_ago() -> None:
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))


def fresh(member) -> Member:
    return Member.objects.select_related("home_branch", "flowing_org", "current_outflow").get(pk=member.pk)


@pytest.fixture
def dues_world(county, on_a_fixed_day):
    """The shared county on 2026-06-15, members entered in 2020, 袁芳伟 (花果村, away in Huadu) holding a certificate,
    and a confirmed 2025 and 2026 standard (40 元 a month on 4000 元 pay) for 袁芳伟, 覃文英 and 马云."""
    entered_long_ago()
    give_certificate(county.yuan)
    for member in (county.yuan, county.qin, county.ma):
        for year in (2025, 2026):
            give_standard(member, year, by=county.admin)
    county.yuan, county.qin, county.ma = fresh(county.yuan), fresh(county.qin), fresh(county.ma)
    assert county.yuan.flowing_org_id == county.huadu.pk  # matched by the destination when the departure was registered
    return county
