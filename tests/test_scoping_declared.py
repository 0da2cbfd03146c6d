"""Scoping is declared once per model: every model a user can reach names the foreign keys that tie its rows to
organizations (lanshan_party.scoping.ScopedQuerySet), or is one of the few listed special rules, and what an
organization's page shows of its subtree is what that organization's own users see."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from activities.models import RedPackage
from lanshan_party.scoping import ScopedQuerySet
from members import census
from members.models import CensusCampaign, Holiday
from organizations.models import Organization, Station
from tests.factories import ActivityFactory
from tests.services.factories import (
    HometownProjectFactory,
    RecognitionFactory,
    RepresentativePostFactory,
    ServiceCaseFactory,
)

# Models whose visibility is not "rows tied to organizations through these foreign keys", and why.
SPECIAL_RULES = {
    # Through the covered organizations (a many-to-many, so a subquery on ids); county roles also see drafts.
    "organizations.Agreement",
    # A campaign covering the county reaches a branch too: the covered organizations' ancestors count as well.
    "members.CensusCampaign",
    # The member's rule, applied as a subquery on members.
    "members.Outflow",
    # Reference data every signed-in user reads.
    "services.ServiceItem",
    # Per-user rules: accounts and the audit log for administrators, each user's own notifications and jobs.
    "lanshan_party.User",
    "lanshan_party.AuditEntry",
    "lanshan_party.Notification",
    "lanshan_party.ExportJob",
    "lanshan_party.ImportBatch",
    # Each user's own API tokens; administrators see every token, to revoke it.
    "api.ApiToken",
}


def reachable_models() -> list[type[models.Model]]:
    """Every model a user can reach: the ones whose default manager has visible_to."""
    return [model for model in apps.get_models() if hasattr(model._default_manager, "visible_to")]


def is_declared(model: type[models.Model]) -> bool:
    return issubclass(model._default_manager._queryset_class, ScopedQuerySet)


DECLARED = sorted(model._meta.label for model in reachable_models() if is_declared(model))


def test_every_model_users_reach_declares_its_organization_keys_or_is_a_listed_special_rule():
    undeclared = {model._meta.label for model in reachable_models() if not is_declared(model)}

    assert undeclared == SPECIAL_RULES


def _leads_to_an_organization(model: type[models.Model], path: str) -> bool:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model is Organization


@pytest.mark.parametrize("label", DECLARED)
def test_each_declared_key_leads_to_an_organization(label):
    model = apps.get_model(label)
    keys = model._default_manager._queryset_class.organization_fks

    if not keys:
        assert model is Organization, "only organizations are tied to themselves"
    for path in keys:
        assert _leads_to_an_organization(model, path), f"{label}.{path}"


def _one_of_each(county) -> None:
    """Rows of every scoped model tied to different organizations of the test county."""
    members = [county.yuan, county.qin, county.ma]  # away under Huadu, at home in 城东社区, away under Kunming
    places = [county.huaguo, county.chengdong, county.zongshicun, county.huadu, county.kunming, county.tafeng]
    for organization in places:
        Station.objects.create(organization=organization, name=f"{organization.name}驿站", address="某路1号")
        ActivityFactory(organization=organization)
        ServiceCaseFactory(organization=organization, beneficiary_name="老乡")
        HometownProjectFactory(organization=organization)
    for member, sender in zip(members, [county.zongshicun, county.tafeng, county.huadu], strict=True):
        RedPackage.objects.create(organization=sender, member=member, items="党章", sent_on=datetime.date(2026, 3, 1))
        RecognitionFactory(member=member)
        RepresentativePostFactory(member=member)
    campaign = CensusCampaign.objects.create(
        name="2026年春节流动党员摸排",
        holiday=Holiday.SPRING_FESTIVAL,
        year=2026,
        starts_on=datetime.date(2026, 2, 3),
        ends_on=datetime.date(2026, 3, 3),
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.county_staff)
    from certificates.actions import issue_certificate

    for outflow in (county.yuan_outflow, county.ma_outflow):  # under Huadu from 花果村, under Kunming from 总市村
        issue_certificate(outflow, by=county.admin, issued_on=datetime.date(2025, 1, 5))
    from members.models import PartnerAttendance, PartnerEvaluation

    for member in (county.yuan, county.ma):  # the destination partner's records, of members of two branches
        PartnerAttendance.objects.create(
            member=member, partner_org=county.partner_org, date=datetime.date(2026, 3, 1), title="主题党日"
        )
        PartnerEvaluation.objects.create(member=member, partner_org=county.partner_org, year=2025, grade="qualified")
    from inflow import actions as inflow_actions
    from tests.inflow.factories import InflowMemberFactory

    for organization in (county.huaguo, county.huadu):  # inflow members of two branches, each reported back and present
        inflow = InflowMemberFactory(branch=organization)
        inflow_actions.record_report_back(
            inflow, on=datetime.date(2024, 6, 1), channel="phone", content="表现良好", by=county.admin
        )
        activity = ActivityFactory(organization=organization)
        inflow_actions.save_inflow_attendance(activity, statuses={inflow.pk: "present"}, by=county.admin)
    _dues_in_two_organizations(county)
    _self_service_in_two_organizations(county)
    _transfers_and_the_years_duties_in_two_organizations(county)


def _dues_in_two_organizations(county) -> None:
    """Confirmed 2025 standards of the three members; 袁芳伟 (花果村, holding a certificate) pays at Huadu, 马云 at
    总市村; a reduction for 覃文英 (城东社区) and an exemption approved for 马云 (asked by Kunming)."""
    from dues import actions as dues_actions
    from dues.models import DuesRelief, DuesStandard, ReliefKind
    from members.models import Member

    yuan, qin, ma = (Member.objects.get(pk=member.pk) for member in (county.yuan, county.qin, county.ma))
    for member in (yuan, qin, ma):
        standard = DuesStandard(member=member, year=2025, basis="employed", monthly_income=Decimal("4000"))
        dues_actions.save_standard(standard, by=county.admin)
        dues_actions.confirm_standard(standard, by=county.admin)
    for member, place in ((yuan, county.huadu), (ma, county.zongshicun)):
        dues_actions.record_payment(
            member,
            months=[(2025, 5), (2025, 6)],
            amount=Decimal("80.00"),
            paid_on=datetime.date(2025, 6, 10),
            paid_at=place,
            by=county.admin,
        )
    reduction = DuesRelief(
        member=qin,
        kind=ReliefKind.REDUCE,
        year=2025,
        from_month=7,
        to_month=9,
        reduced_amount=Decimal("5"),
        reason="家庭困难",
    )
    dues_actions.request_relief(reduction, by=county.admin)
    exemption = DuesRelief(member=ma, kind=ReliefKind.EXEMPT, year=2025, from_month=10, to_month=12, reason="重病住院")
    dues_actions.request_relief(exemption, by=county.admin)
    dues_actions.decide_relief(exemption, approve=True, by=county.county_staff)


def _self_service_in_two_organizations(county) -> None:
    """Whereabouts links of 袁芳伟 (Huadu, from 花果村) and 马云 (Kunming, from 总市村), each answered, and a request
    to be contacted left for each flowing organization."""
    from selfservice import actions as selfservice_actions
    from selfservice.models import Purpose

    for member, city in ((county.yuan, "广州市"), (county.ma, "昆明市")):
        link = selfservice_actions.send_link(member, purpose=Purpose.WHEREABOUTS, by=county.admin)
        selfservice_actions.submit_report(link, city=city, address="某路2号", employer="某公司")
    for organization in (county.huadu, county.kunming):
        selfservice_actions.leave_request(
            organization, ip=None, name="李明", phone="13800138000", home_township="塔峰镇", message="请联系我"
        )


def _transfers_and_the_years_duties_in_two_organizations(county) -> None:
    """Transfers out of 城东社区 and 总市村; study, a committee seat and a term in 花果村 and in 总市村."""
    from tests.yearly.factories import CommitteeMemberFactory, StudyRecordFactory
    from transfers import actions as transfer_actions
    from yearly import actions as yearly_actions

    for member in (county.qin, county.ma):
        transfer_actions.start_transfer_out(
            member,
            by=county.admin,
            other_org="中共广州市花都区新华街道三东社区委员会",
            other_province="广东省",
            other_city="广州市",
            reason="在花都区定居",
            dues_paid_until=datetime.date(2025, 6, 1),
            valid_days=60,
        )
    for member in (county.yuan, county.ma):
        StudyRecordFactory(member=member, date=datetime.date(2025, 4, 1))
        CommitteeMemberFactory(member=member, since=datetime.date(2024, 1, 10))
        yearly_actions.record_term(member.home_branch, started_on=datetime.date(2024, 1, 10), by=county.admin)


@pytest.mark.parametrize("label", DECLARED)
def test_an_organizations_subtree_holds_the_same_rows_its_users_see(county, label):
    _one_of_each(county)
    manager = apps.get_model(label)._default_manager
    everything = set(manager.all())
    seen_by_somebody_partly = False

    for user in county.users:
        seen = set(manager.visible_to(user))
        if user.sees_everything:
            assert seen == everything, user.username
            continue
        assert seen == set(manager.in_subtree(user.organization.path)), user.username
        seen_by_somebody_partly |= bool(seen) and seen != everything

    # The comparison means something only if the county's rows are split between its organizations.
    assert seen_by_somebody_partly, f"every persona sees all or nothing of {label}: add rows to _one_of_each"
