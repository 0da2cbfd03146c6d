"""A confirmed standard is locked for its year; reductions and exemptions are decided one level up and change what
the months cost."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dues import actions
from dues.arrears import monthly_amounts
from dues.models import DuesMonth, DuesRelief, DuesStandard, ReliefStatus
from tests.conftest import login
from tests.dues.conftest import give_standard

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")


def test_the_standard_form_computes_the_amount_again_on_the_server(county):
    client = login(county.branch)
    response = client.post(
        reverse("dues:standard_create", args=[county.yuan.pk]),
        {"year": "2026", "basis": "employed", "monthly_income": "5000.01", "manual_amount": "", "manual_reason": ""},
    )
    assert response.status_code == 302
    assert DuesStandard.objects.get().computed_amount == Decimal("75.00")


def test_an_amount_set_by_hand_needs_its_reason(county):
    client = login(county.branch)
    response = client.post(
        reverse("dues:standard_create", args=[county.yuan.pk]),
        {"year": "2026", "basis": "farmer", "monthly_income": "", "manual_amount": "1.00", "manual_reason": ""},
    )
    assert response.status_code == 200
    assert "manual_reason" in response.context["form"].errors
    assert not DuesStandard.objects.exists()


def test_a_confirmed_standard_is_locked_for_the_year(county):
    standard = give_standard(county.yuan, 2026, by=county.admin)
    standard.monthly_income = Decimal("12000")
    with pytest.raises(ValidationError):
        actions.save_standard(standard, by=county.admin)
    client = login(county.branch)
    url = reverse("dues:standard_update", args=[standard.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"basis": "employed", "monthly_income": "12000", "manual_amount": "", "manual_reason": ""})
    assert DuesStandard.objects.get(pk=standard.pk).computed_amount == Decimal("40.00")
    assert actions.confirm_standard(standard, by=county.admin) is False  # a second confirmation changes nothing


def _exemption(county, member, **fields):
    relief = DuesRelief(member=member, kind="exempt", year=2026, from_month=3, to_month=4, reason="因病住院", **fields)
    return actions.request_relief(relief, by=county.branch)


def test_a_village_branchs_request_goes_to_its_township_which_alone_decides_it(county):
    relief = _exemption(county, county.qin)  # 城东社区 → 塔峰镇
    assert relief.approver == county.tafeng
    for user in (county.branch, county.outsider, county.county_staff, county.secretary):
        with pytest.raises(ValidationError):
            actions.decide_relief(relief, approve=True, by=user)
    actions.decide_relief(relief, approve=True, note="同意", by=county.township)
    assert DuesRelief.objects.get(pk=relief.pk).status == ReliefStatus.APPROVED


def test_a_flowing_organizations_request_goes_to_the_county(county):
    relief = _exemption(county, county.yuan, organization=county.huadu)
    assert relief.approver == county.committee
    with pytest.raises(ValidationError):
        actions.decide_relief(relief, approve=True, by=county.township)
    actions.decide_relief(relief, approve=False, note="材料不全", by=county.county_staff)
    assert DuesRelief.objects.get(pk=relief.pk).status == ReliefStatus.REFUSED


def test_an_approved_exemption_settles_its_months_and_a_reduction_lowers_them(county):
    give_standard(county.qin, 2026, by=county.admin)
    actions.decide_relief(_exemption(county, county.qin), approve=True, by=county.township)
    reduction = actions.request_relief(
        DuesRelief(
            member=county.qin,
            kind="reduce",
            year=2026,
            from_month=5,
            to_month=12,
            reduced_amount=Decimal("5"),
            reason="收入减少",
        ),
        by=county.branch,
    )
    assert monthly_amounts([county.qin.pk], 2026)[county.qin.pk][4] == Decimal("40.00")  # not yet approved
    actions.decide_relief(reduction, approve=True, by=county.township)
    amounts = monthly_amounts([county.qin.pk], 2026)[county.qin.pk]
    assert amounts[:6] == [
        Decimal("40.00"),
        Decimal("40.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("5"),
        Decimal("5"),
    ]
    assert set(DuesMonth.objects.filter(member=county.qin).values_list("month", flat=True)) == {3, 4}
    with pytest.raises(ValidationError):  # an exempted month is not paid
        actions.record_payment(
            county.qin,
            months=[(2026, 3)],
            amount=Decimal("1"),
            paid_on=datetime.date(2026, 6, 1),
            paid_at=county.chengdong,
            by=county.admin,
        )


def test_the_decision_page_offers_the_form_only_to_the_approving_level(county):
    relief = _exemption(county, county.yuan)  # asked by 花果村 for its member away in Huadu: 塔峰镇 decides
    assert relief.organization == county.huaguo
    url = reverse("dues:relief_decide", args=[relief.pk])
    assert login(county.township).get(url).context["form"] is not None
    assert login(county.branch).get(url).context["form"] is None
    response = login(county.branch).post(url, {"decision": "approve"})
    assert DuesRelief.objects.get(pk=relief.pk).status == ReliefStatus.REQUESTED
    assert response.status_code == 302
    login(county.township).post(url, {"decision": "approve", "note": "同意"})
    assert DuesRelief.objects.get(pk=relief.pk).status == ReliefStatus.APPROVED


def test_overlapping_requests_are_refused(county):
    _exemption(county, county.qin)
    with pytest.raises(ValidationError):
        _exemption(county, county.qin)
