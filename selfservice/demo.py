"""Demo self-service: published office phones, personal links sent to members away (some answered and waiting for
review, one locked), and requests left on the public page."""

from django.db import transaction

from lanshan_party.models import Role, User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Member, Standing
from organizations.models import Organization
from selfservice import actions
from selfservice.models import OfficePhone, PersonalLink, PublicRequest, Purpose, SelfReport

LINKS = 8


def clear(context: DemoContext) -> None:
    SelfReport.objects.all().delete()
    PersonalLink.objects.all().delete()
    PublicRequest.objects.all().delete()
    OfficePhone.objects.all().delete()


def _sender(member: Member) -> User | None:
    return (
        User.objects.secretaries_of([member.responsible_organization_id]).order_by("pk").first()
        or User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    )


@register_demo("selfservice", after=("members", "census"), clear=clear, existing=PersonalLink.objects.count)
def load_selfservice(context: DemoContext) -> dict[str, int]:
    rng = context.rng
    flowing = list(Organization.objects.flowing().active().order_by("path"))
    with transaction.atomic():
        for i, org in enumerate(flowing[: max(1, len(flowing) // 2)]):
            OfficePhone.objects.create(
                organization=org, phone=f"020-86{100000 + i * 37:06d}", hours="周一至周五 9:00-17:30"
            )
    away = list(
        Member.objects.filter(standing=Standing.NORMAL, current_outflow__isnull=False)
        .exclude(phone_hash="")
        .select_related("current_outflow")
        .order_by("pk")[:400]
    )
    rng.shuffle(away)
    purposes = [Purpose.WHEREABOUTS, Purpose.WHEREABOUTS, Purpose.YEARLY_REPORT, Purpose.CHANGE]
    reports = 0
    for i, member in enumerate(away[:LINKS]):
        link = actions.send_link(member, purpose=purposes[i % len(purposes)], by=_sender(member))
        if i % 2 == 0:  # answered, waiting for the secretary
            outflow = member.current_outflow
            answers: dict = {
                Purpose.WHEREABOUTS: {
                    "province": outflow.province,
                    "city": outflow.city,
                    "district": outflow.district,
                    "address": "新华街道工业大道" + str(rng.randint(1, 300)) + "号",
                    "employer": "广州市花都区" + rng.choice(["皮具", "五金", "服装"]) + "有限公司",
                },
                Purpose.YEARLY_REPORT: {
                    "study": "每月参加网上课堂，学习党的二十届三中全会精神。",
                    "work": "在厂里带班，帮助三名老乡找到工作。",
                    "organizational_life": "在花都区流动党员总支参加主题党日，每季度一次。",
                },
                Purpose.CHANGE: {"circumstance": "今年换了工作单位，搬到了新的住址，电话不变。"},
            }[purposes[i % len(purposes)]]
            actions.submit_report(link, ip="127.0.0.1", **answers)
            reports += 1
        elif i == LINKS - 1:  # someone guessed the ID digits five times
            for _attempt in range(5):
                actions.check_digits(link, "0000")
    requests = 0
    for org, (name, township, message) in zip(
        flowing,
        [
            ("李建华", "塔峰镇", "刚到广州打工，想把组织关系接上，参加这边的组织生活。"),
            ("盘秀英", "汇源瑶族乡", "在昆明做生意，想找附近的流动党员驿站。"),
        ],
        strict=False,
    ):
        actions.leave_request(
            org, ip="127.0.0.1", name=name, phone=context.people.phone(), home_township=township, message=message
        )
        requests += 1
    context.stdout.write(
        f"  selfservice: {min(LINKS, len(away))} personal links sent, {reports} self-reports waiting for review, "
        f"{requests} requests from the public page, {OfficePhone.objects.count()} published office phones"
    )
    return {
        "office phones": OfficePhone.objects.count(),
        "links": min(LINKS, len(away)),
        "self-reports": reports,
        "requests": requests,
    }
