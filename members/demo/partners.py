"""The destination partners' demo data: an account per partner organization named by an agreement in force
(partner-1, partner-2 … with the demo password), the open outflows under the flowing organizations those agreements
cover naming their partner, some report-ins refused, and the partners' attendance records and evaluations."""

import datetime
import random

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from lanshan_party.demo import DEMO_PASSWORD
from lanshan_party.models import Role, User
from members.models import (
    EvaluationGrade,
    Member,
    Outflow,
    OutflowEvent,
    OutflowEventKind,
    OutflowStatus,
    PartnerAttendance,
    PartnerEvaluation,
)
from organizations.models import Agreement

REFUSAL_REASONS = (
    "本人未到社区报到，预留电话无法接通，请流出地核实去向。",
    "经核实该党员已离开本辖区，未在本街道居住或工作。",
    "所附外出登记信息与本人不符，请核对身份信息后重新推送。",
)
ACTIVITY_TITLES = ("主题党日", "党员大会", "党课学习", "志愿服务", "组织生活会")
CONDUCTS = (
    "积极参加社区组织生活，主动参与志愿服务。",
    "按时参加组织生活，遵守社区各项规定。",
    "因工作倒班参加组织生活次数偏少，已谈心谈话。",
)


def clear_partners(context: object) -> None:
    PartnerAttendance.objects.all().delete()
    PartnerEvaluation.objects.all().delete()
    User.objects.filter(role=Role.PARTNER, username__startswith="partner-").delete()
    Member.objects.update(partner_org=None)
    Outflow.objects.update(partner_org=None)


@transaction.atomic
def load(today: datetime.date) -> dict[str, int]:
    rng = random.Random(20260615)  # a source of its own: the demos drawing from the shared one keep their data
    counts = {"partner accounts": 0, "outflows with a partner": 0, "refused": 0, "attendance": 0, "evaluations": 0}
    agreements = Agreement.objects.in_force(today).filter(partner__isnull=False).select_related("partner")
    partners = {}
    for agreement in agreements.order_by("id"):
        partners.setdefault(agreement.partner, set()).update(
            agreement.covered_organizations.values_list("pk", flat=True)
        )
    users = {}
    for n, partner in enumerate(partners, start=1):
        username = f"partner-{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                password=DEMO_PASSWORD,
                role=Role.PARTNER,
                organization=partner,
                full_name=f"{partner.display_name}联络员",
            )
            counts["partner accounts"] += 1
        users[partner.pk] = user
        counts["outflows with a partner"] += (
            Outflow.objects.open().filter(flowing_org__in=partners[partner]).update(partner_org=partner)
        )
    Member.objects.filter(current_outflow__isnull=False).update(
        partner_org=Subquery(Outflow.objects.filter(pk=OuterRef("current_outflow")).values("partner_org")[:1])
    )
    # Refusals of the last two years (the partners' accounts are that recent), dated and timed on their own day so
    # the recent-events box shows them among the county's other steps.
    waiting = list(
        Outflow.objects.filter(
            status=OutflowStatus.REGISTERED,
            partner_org__isnull=False,
            departure_date__gte=today - datetime.timedelta(days=730),
        ).order_by("id")[:400]
    )
    for outflow in rng.sample(waiting, min(len(waiting) // 8, 40)):
        on = min(today, outflow.departure_date + datetime.timedelta(days=rng.randint(10, 40)))
        by = users[outflow.partner_org_id]
        reason = rng.choice(REFUSAL_REASONS)
        Outflow.objects.filter(pk=outflow.pk).update(refused_on=on, refusal_reason=reason, refused_by=by)
        OutflowEvent.objects.create(
            outflow=outflow, kind=OutflowEventKind.REFUSE, from_status=outflow.status, to_status=outflow.status,
            on=on, by=by, note=reason,
            at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, rng.randint(0, 59)))),
        )  # fmt: skip
        counts["refused"] += 1
    reported = Member.objects.filter(
        partner_org__isnull=False, current_outflow__status=OutflowStatus.REPORTED
    ).order_by("id")[:300]
    attendance, evaluations = [], []
    grades = (EvaluationGrade.EXCELLENT, EvaluationGrade.QUALIFIED, EvaluationGrade.QUALIFIED,
              EvaluationGrade.QUALIFIED, EvaluationGrade.BASICALLY_QUALIFIED)  # fmt: skip
    for member in reported:
        by = users.get(member.partner_org_id)
        for months in range(1, rng.randint(2, 6)):
            day = today - datetime.timedelta(days=30 * months + rng.randint(0, 10))
            attendance.append(
                PartnerAttendance(
                    member=member, partner_org_id=member.partner_org_id, date=day,
                    title=f"{day:%m}月{rng.choice(ACTIVITY_TITLES)}", attended=rng.random() < 0.85, recorded_by=by,
                )
            )  # fmt: skip
        evaluations.append(
            PartnerEvaluation(
                member=member, partner_org_id=member.partner_org_id, year=today.year - 1, grade=rng.choice(grades),
                conduct=rng.choice(CONDUCTS), recorded_by=by,
            )
        )  # fmt: skip
    counts["attendance"] = len(PartnerAttendance.objects.bulk_create(attendance, batch_size=2000))
    counts["evaluations"] = len(PartnerEvaluation.objects.bulk_create(evaluations, batch_size=2000))
    return counts
