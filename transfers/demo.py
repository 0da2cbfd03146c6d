"""Demo transfers: 花果村's members in every state of a transfer out, and two members transferred in."""

import datetime

from django.db import transaction

from lanshan_party.models import Role, User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, Standing
from organizations.models import Organization
from transfers import actions
from transfers.models import Transfer

DESTINATIONS = (
    ("中共广州市花都区新华街道三东社区委员会", "广东省", "广州市", "在花都区定居，户口已迁入"),
    ("中共深圳市宝安区西乡街道党工委", "广东省", "深圳市", "在宝安区长期就业"),
    ("中共东莞市长安镇委员会", "广东省", "东莞市", "随子女定居长安镇"),
    ("中共长沙市岳麓区望月湖街道工委", "湖南省", "长沙市", "考入岳麓区事业单位"),
    ("中共永州市冷水滩区委组织部", "湖南省", "永州市", "工作调动"),
    ("中共昆明市官渡区关上街道工委", "云南省", "昆明市", "在官渡区落户"),
    ("中共义乌市稠城街道委员会", "浙江省", "义乌市", "经商定居"),
    ("中共文昌市文城镇委员会", "海南省", "文昌市", "随配偶定居"),
)
# The states to show, one transfer each, in the order they are built.
STATES = ("draft", "at_township", "at_county", "returned", "expired", "issued", "completed", "withdrawn")


def clear(context: DemoContext) -> None:
    from transfers.models import LetterCounter

    Transfer.objects.all().delete()
    LetterCounter.objects.all().delete()


def _user(username: str, role: str) -> User | None:
    return User.objects.filter(username=username, role=role).first()


@register_demo("transfers", after=("members", "accounts", "activities"), clear=clear, existing=Transfer.objects.count)
def load_transfers(context: DemoContext) -> dict[str, int]:
    branch = Organization.objects.home_branches().filter(name__contains="花果村").first()
    secretary, township, county = (
        _user("branch", Role.SECRETARY),
        _user("township", Role.TOWNSHIP),
        _user("county", Role.COUNTY),
    )
    if branch is None or None in (secretary, township, county):
        context.stdout.write("  transfers: skipped (no 花果村 branch or its demo accounts)")
        return {"transfers": 0}
    # 花果村's members first (its demo secretary starts their transfers), then others of the township if it is small.
    at_home = Member.objects.filter(standing=Standing.NORMAL, home_branch__in=branch.parent.children.all())
    members = sorted(at_home.order_by("pk")[:400], key=lambda m: (m.home_branch_id != branch.pk, m.pk))[: len(STATES)]
    secretaries = {
        u.organization_id: u for u in User.objects.filter(role=Role.SECRETARY, organization__parent=branch.parent)
    }
    today = context.today
    made = 0
    with transaction.atomic():
        for state, member, (org, province, city, reason) in zip(STATES, members, DESTINATIONS, strict=False):
            starter = secretaries.get(member.home_branch_id)
            transfer = actions.start_transfer_out(
                member,
                by=starter,
                other_org=org,
                other_province=province,
                other_city=city,
                reason=reason,
                contact="组织委员",
                dues_paid_until=datetime.date(today.year, today.month, 1),
                valid_days=90,
            )
            made += 1
            if state == "draft":
                continue
            if state == "withdrawn":
                actions.withdraw(transfer, by=starter, note="党员本人暂缓转接")
                continue
            actions.submit(transfer, by=starter)
            if state == "at_township":
                continue
            if state == "returned":
                actions.return_for_edit(transfer, by=township, note="党费交至月份与支部台账不一致，请核对后重新提交")
                continue
            actions.approve(transfer, by=township, note="情况属实，同意转出")
            if state == "at_county":
                continue
            issued_on = today - datetime.timedelta(days=120 if state == "expired" else 20)
            actions.approve(transfer, by=county, note="同意", on=issued_on)
            if state == "completed":
                actions.record_receipt(transfer, by=starter, on=today, receiving_org=org)
        for n, (org, province, city) in enumerate(
            (("中共道县道江镇委员会", "湖南省", "永州市"), ("中共江华瑶族自治县沱江镇委员会", "湖南省", "永州市"))
        ):
            male = n == 0
            birth = datetime.date(1985 + 6 * n, 3 + n, 12)
            transfer = actions.start_transfer_in(
                by=secretary,
                home_branch=branch,
                name=context.people.name(male),
                gender="M" if male else "F",
                birth_date=birth,
                id_number=context.people.id_number(birth, male),
                phone=context.people.phone(),
                other_org=org,
                other_province=province,
                other_city=city,
                reason="回乡创业，组织关系转回蓝山",
                incoming_letter_number=f"道组转〔{today.year}〕{17 + n:04d}号",
                dues_paid_until=datetime.date(today.year, today.month, 1),
                valid_days=90,
            )
            made += 1
            actions.submit(transfer, by=secretary)
            if n == 0:
                actions.approve(transfer, by=township)
                actions.approve(transfer, by=county)
    context.stdout.write(f"  transfers: {made} (each state of a transfer out, two in)")
    return {"transfers": made}
