"""A transfer of the relationship from the branch through the township to the county, its letter and its receipt."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member, OutflowStatus, Standing
from tests.conftest import login
from tests.factories import make_id_number
from tests.transfers.conftest import DESTINATION, issue, start_out, to_county
from transfers import actions
from transfers.models import LetterCounter, StepKind, Transfer, TransferStatus, three_months_after

S = TransferStatus


def test_a_transfer_out_goes_from_the_branch_to_the_township_and_the_county_which_issues_the_numbered_letter(county):
    transfer = start_out(county)
    assert transfer.status == S.DRAFT and transfer.home_branch == county.huaguo and transfer.name == "袁芳伟"
    actions.submit(transfer, by=county.branch)
    transfer = actions.approve(transfer, by=county.township)
    assert transfer.status == S.AT_COUNTY and transfer.letter_number is None
    transfer = actions.approve(transfer, by=county.county_staff)

    today = timezone.localdate()
    assert transfer.status == S.ISSUED
    assert transfer.letter_code == f"蓝组转〔{today.year}〕0001号"
    assert transfer.issued_on == today
    assert transfer.valid_until == min(today + datetime.timedelta(days=90), three_months_after(today))
    kinds = list(transfer.steps.values_list("kind", flat=True))
    assert kinds == ["start", "submit", "township_approve", "county_approve", "issue"]
    assert AuditEntry.objects.filter(object_type="transfers.transfer", action=AuditAction.WORKFLOW).count() == 5


def test_each_level_takes_only_its_own_step(county):
    transfer = start_out(county)
    with pytest.raises(PermissionDenied):
        actions.submit(transfer, by=county.township)
    actions.submit(transfer, by=county.branch)
    with pytest.raises(PermissionDenied):
        actions.approve(transfer, by=county.county_staff)  # the township first
    with pytest.raises(PermissionDenied):
        actions.approve(transfer, by=county.branch)
    actions.approve(transfer, by=county.township)
    with pytest.raises(PermissionDenied):
        actions.approve(transfer, by=county.township)  # now the county's


def test_a_returned_transfer_goes_back_to_the_branch_with_the_reason_and_is_edited_and_resubmitted(county):
    transfer = to_county(county, start_out(county))
    with pytest.raises(ValidationError):
        actions.return_for_edit(transfer, by=county.county_staff, note="  ")
    actions.return_for_edit(transfer, by=county.county_staff, note="党费交至月份有误")
    client = login(county.branch)
    page = client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).content.decode()
    assert "党费交至月份有误" in page

    form = client.get(reverse("transfers:transfer_update", args=[transfer.pk])).context["form"]
    data = {**{name: form[name].value() for name in form.fields}, "dues_paid_until": "2026-06", "note": "已核对"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    response = client.post(reverse("transfers:transfer_update", args=[transfer.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    transfer.refresh_from_db()
    assert transfer.dues_paid_until == datetime.date(2026, 6, 1) and transfer.status == S.RETURNED

    response = client.post(reverse("transfers:transfer_step", args=[transfer.pk, "submit"]), {"note": ""})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == S.AT_TOWNSHIP and transfer.return_reason == ""
    history = list(transfer.steps.values_list("kind", "by__username", "note"))
    assert ("return", "county", "党费交至月份有误") in history
    assert ("edit", "branch", "已核对") in history
    assert history[-1][0] == "submit"


def test_a_double_submitted_step_is_refused_the_second_time_with_a_clear_message(county):
    transfer = start_out(county)
    client = login(county.branch)
    url = reverse("transfers:transfer_step", args=[transfer.pk, "submit"])
    assert client.post(url, {"note": ""}).status_code == 302
    again = client.post(url, {"note": ""}, follow=True)
    assert f"该转接现为“待乡镇党委审批”，不能再“{StepKind.SUBMIT.label}”。" in again.content.decode()
    assert transfer.steps.filter(kind=StepKind.SUBMIT).count() == 1


def test_the_starter_withdraws_before_the_letter_is_issued_but_not_after(county, li):
    transfer = to_county(county, start_out(county))
    actions.withdraw(transfer, by=county.branch, note="暂缓")
    assert Transfer.objects.get(pk=transfer.pk).status == S.WITHDRAWN
    issued = issue(county, li)
    with pytest.raises(ValidationError):
        actions.withdraw(issued, by=county.branch)


def test_a_validity_over_three_months_is_refused_with_a_message_saying_what_to_do(county):
    client = login(county.branch)
    data = {**DESTINATION, "member": county.yuan.pk, "dues_paid_until": "2026-05", "valid_days": 120}
    response = client.post(reverse("transfers:transfer_out_create"), data)
    assert response.status_code == 200
    assert "最长3个月" in str(response.context["form"].errors["valid_days"])
    assert not Transfer.objects.exists()
    with pytest.raises(ValidationError):
        start_out(county, valid_days=100)


def test_a_validity_setting_over_three_months_stops_the_start_up_checks(settings):
    settings.TRANSFER_LETTER_VALID_DAYS = 120
    with pytest.raises(SystemCheckError, match="TRANSFER_LETTER_VALID_DAYS"):
        call_command("check")


def test_a_secretary_starts_a_transfer_out_of_a_member_of_their_branch_from_the_form(county):
    data = {**DESTINATION, "member": county.yuan.pk, "dues_paid_until": "2026-05", "note": "本人申请"}
    response = login(county.branch).post(reverse("transfers:transfer_out_create"), data)
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert transfer.started_by == county.branch and transfer.dues_paid_until == datetime.date(2026, 5, 1)


def test_a_member_of_another_branch_cannot_be_chosen_and_a_flowing_secretary_holds_nobody_to_transfer(county):
    data = {**DESTINATION, "member": county.ma.pk, "dues_paid_until": "2026-05"}
    response = login(county.branch).post(reverse("transfers:transfer_out_create"), data)
    assert "member" in response.context["form"].errors
    data["member"] = county.yuan.pk  # away under Huadu, but his relationship is in 花果村
    response = login(county.secretary).post(reverse("transfers:transfer_out_create"), data)
    assert "member" in response.context["form"].errors
    assert not Transfer.objects.exists()


def test_the_receipt_takes_the_member_off_the_roll_and_ends_the_outflow_as_transferred(county):
    transfer = issue(county)
    actions.record_receipt(transfer, by=county.branch, on=timezone.localdate(), receiving_org="三东社区党委")

    yuan = Member.objects.get(pk=county.yuan.pk)
    assert yuan.standing == Standing.TRANSFERRED_OUT
    assert yuan.current_outflow is None
    outflow = yuan.outflows.get()
    assert outflow.status == OutflowStatus.TRANSFERRED and outflow.relationship_transferred
    transfer.refresh_from_db()
    assert transfer.status == S.COMPLETED and transfer.receipt_org == "三东社区党委"
    assert transfer.steps.last().kind == StepKind.RECEIPT


def test_a_transferred_member_is_off_the_huaguo_roll_and_cannot_be_sent_away_again(county, li):
    client = login(county.branch)
    roster = reverse("activities:roster") + f"?organization={county.huaguo.pk}"
    assert "李春华" in client.get(roster).content.decode()
    assert "李春华" in client.get(reverse("members:member_list")).content.decode()
    before = Member.objects.visible_to(county.branch).summary()["total"]

    actions.record_receipt(issue(county, li), by=county.branch, on=timezone.localdate(), receiving_org="三东社区党委")

    assert "李春华" not in client.get(roster).content.decode()
    assert "李春华" not in client.get(reverse("members:member_list")).content.decode()
    assert "李春华" in client.get(reverse("members:member_list") + "?standing=transferred_out").content.decode()
    assert Member.objects.visible_to(county.branch).summary()["total"] == before - 1
    response = client.get(reverse("members:outflow_create", args=[li.pk]), follow=True)
    assert "李春华已不在党员名册中" in response.content.decode()
    assert "departure_date" not in (response.context.get("form").fields if response.context.get("form") else {})
    posted = client.post(
        reverse("members:outflow_create", args=[li.pk]),
        {
            "departure_date": "2026-03-01",
            "province": "广东省",
            "city": "深圳市",
            "scope": "cross_province",
            "reason": "work",
        },
    )
    assert posted.status_code == 302 and not Member.objects.get(pk=li.pk).outflows.exists()
    with pytest.raises(ValidationError):
        start_out(county, li)


def test_a_transfer_in_puts_the_member_on_the_receiving_branch_roll_once_the_county_approves(county):
    transfer = actions.start_transfer_in(
        by=county.branch,
        home_branch=county.huaguo,
        name="欧阳明",
        gender="M",
        birth_date=datetime.date(1988, 8, 8),
        id_number=make_id_number(7, datetime.date(1988, 8, 8)),
        other_org="中共道县道江镇委员会",
        other_province="湖南省",
        other_city="永州市",
        reason="回乡创业",
        incoming_letter_number="道组转〔2026〕0017号",
        dues_paid_until=datetime.date(2026, 5, 1),
    )
    assert not Member.objects.filter(name="欧阳明").exists()
    to_county(county, transfer)
    transfer = actions.approve(transfer, by=county.county_staff)
    member = Member.objects.get(name="欧阳明")
    assert member.home_branch == county.huaguo and member.standing == Standing.NORMAL
    assert transfer.member == member and transfer.status == S.COMPLETED and transfer.letter_number is None


def test_letter_numbers_run_on_within_a_year_and_start_again_at_one_the_next(county, li):
    first, second = issue(county), issue(county, li)
    assert (first.letter_number, second.letter_number) == (1, 2)
    assert LetterCounter.objects.get(year=first.letter_year).last == 2
    assert actions.allocate_letter_number(first.letter_year + 1) == 1


def test_the_to_do_box_counts_what_waits_on_each_user(county, li):
    waiting_at_township = to_county(county, start_out(county, li))  # now at the county
    draft = start_out(county)
    assert waiting_at_township.status == S.AT_COUNTY and draft.status == S.DRAFT
    counts = {user.username: Transfer.objects.box_counts(user) for user in county.users}
    assert counts["branch"] == {"todo": 1, "unfinished": 2, "overdue": 0}
    assert counts["township"] == {"todo": 0, "unfinished": 2, "overdue": 0}
    assert counts["county"] == {"todo": 1, "unfinished": 2, "overdue": 0}
    assert counts["outsider"] == {"todo": 0, "unfinished": 0, "overdue": 0}
    assert counts["secretary"] == {"todo": 0, "unfinished": 0, "overdue": 0}
    page = login(county.branch).get(reverse("transfers:transfer_box")).content.decode()
    assert "袁芳伟" in page and "李春华" not in page  # waiting on the branch: the draft only
    home = login(county.county_staff).get(reverse("home")).content.decode()
    assert 'data-testid="home-transfers"' in home


def test_a_transfer_in_of_someone_already_on_our_roll_is_refused_at_its_id_number(county):
    data = {
        "home_branch": county.huaguo.pk,
        "name": "袁芳伟",
        "id_number": county.yuan.id_number,
        "other_org": "中共道县道江镇委员会",
        "other_province": "湖南省",
        "other_city": "永州市",
        "reason": "回乡",
        "dues_paid_until": "2026-05",
        "valid_days": "90",
        "category": "full",
        "ethnicity": "汉族",
    }
    response = login(county.branch).post(reverse("transfers:transfer_in_create"), data)
    assert response.status_code == 200
    assert "已在中共蓝山县塔峰镇花果村支部委员会的名册中" in str(response.context["form"].errors["id_number"])
    assert not Transfer.objects.exists()


def test_a_member_who_once_left_us_comes_back_on_the_roll_of_the_receiving_branch(county):
    actions.record_receipt(issue(county), by=county.branch, on=timezone.localdate(), receiving_org="三东社区党委")
    back = actions.start_transfer_in(
        by=county.branch,
        home_branch=county.huaguo,
        name="袁芳伟",
        gender=county.yuan.gender,
        birth_date=county.yuan.birth_date,
        id_number=county.yuan.id_number,
        other_org="中共广州市花都区新华街道三东社区委员会",
        other_province="广东省",
        other_city="广州市",
        reason="回乡",
        dues_paid_until=datetime.date(2026, 5, 1),
    )
    actions.approve(to_county(county, back), by=county.county_staff)
    yuan = Member.objects.get(pk=county.yuan.pk)
    assert yuan.standing == Standing.NORMAL and yuan.home_branch == county.huaguo
    assert Member.objects.filter(name="袁芳伟").count() == 1


def test_the_home_page_counts_the_letters_expired_without_receipt(county):
    transfer = to_county(county, start_out(county))
    actions.approve(transfer, by=county.county_staff, on=timezone.localdate() - datetime.timedelta(days=100))
    home = login(county.township).get(reverse("home")).content.decode()
    overdue = home.split('data-testid="home-transfers-overdue"')[1].split("</a>")[0]
    assert "<strong>1</strong>" in overdue
    outsider_home = login(county.outsider).get(reverse("home")).content.decode()
    assert 'data-testid="home-transfers"' not in outsider_home  # nothing of theirs: no line at all
    listed = login(county.township).get(reverse("transfers:transfer_list")).content.decode()
    assert 'data-testid="overdue"' in listed


def test_the_organization_pages_no_longer_count_a_member_transferred_out(county, li):
    client = login(county.township)
    before = client.get(reverse("organizations:organization_detail", args=[county.huaguo.pk])).context["member_count"]
    actions.record_receipt(issue(county, li), by=county.branch, on=timezone.localdate(), receiving_org="三东社区党委")
    page = client.get(reverse("organizations:organization_detail", args=[county.huaguo.pk]))
    assert page.context["member_count"] == before - 1 and "李春华" not in page.content.decode()
    tree = client.get(reverse("organizations:organization_tree")).context["nodes"]
    assert next(node for node in tree if node.pk == county.huaguo.pk).home_total == before - 1
