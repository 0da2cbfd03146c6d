"""Demo certificates: the demo outflows' certificate numbers carried over into the register, then, in several
townships, the members who left in the last year and a half issued certificates in the township's own numbering,
some checked since, some due their check, and one lost, voided and issued again."""

import datetime
import random

from django.apps import apps
from django.db import transaction
from django.db.models import F

from certificates import actions
from certificates.carry_over import carry_over
from certificates.models import Certificate, CertificateCheck, CertificateCounter, CheckKind, VoidReason
from lanshan_party.models import Role, User
from lanshan_party.registry import DemoContext, register_demo
from members.models import Outflow, Standing, months_ago
from organizations.models import Organization

TOWNSHIPS = 5  # townships issuing in their own numbering
PER_TOWNSHIP = 8


def clear(context: DemoContext) -> None:
    CertificateCheck.objects.all().delete()
    Certificate.objects.all().delete()
    CertificateCounter.objects.all().delete()


def _issuer(township: Organization) -> User:
    return (
        User.objects.filter(role=Role.TOWNSHIP, organization=township, is_active=True).first()
        or User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    )


def _recent_outflows(township: Organization, today: datetime.date, rng: random.Random) -> list[Outflow]:
    outflows = list(
        Outflow.objects.open()
        .filter(
            member__home_branch__parent=township,
            member__standing=Standing.NORMAL,
            member__current_outflow=F("pk"),
            departure_date__gte=months_ago(18, today),
        )
        .order_by("departure_date", "pk")[:200]
    )
    rng.shuffle(outflows)
    return sorted(outflows[:PER_TOWNSHIP], key=lambda outflow: (outflow.departure_date, outflow.pk))


@register_demo("certificates", after=("members",), clear=clear, existing=Certificate.objects.count)
def load_certificates(context: DemoContext) -> dict[str, int]:
    rng, today = context.rng, context.today
    townships = [t for t in Organization.objects.townships().order_by("path") if _issuer(t) is not None]
    chosen: dict[Organization, list[Outflow]] = {}
    for township in townships:
        outflows = _recent_outflows(township, today, rng)
        if outflows:
            chosen[township] = outflows
        if len(chosen) == TOWNSHIPS:
            break
    # Those members' certificates are issued below in the register itself, not carried over.
    Outflow.objects.filter(pk__in=[o.pk for outflows in chosen.values() for o in outflows]).update(
        certificate_number="", certificate_issued_on=None, certificate_checked_on=None
    )
    with transaction.atomic():
        carried = carry_over(apps)
    issued = checks = void = 0
    for township, outflows in chosen.items():
        by = _issuer(township)
        for outflow in outflows:
            with transaction.atomic():
                day = max(
                    outflow.departure_date - datetime.timedelta(days=rng.randint(0, 10)),
                    outflow.member.joined_on or outflow.departure_date,
                )
                day = min(day, today)
                certificate = actions.issue_certificate(outflow, by=by, issued_on=day)
                issued += 1
                if not void and (today - day).days > 40:
                    # The member lost it a month later: voided, and issued again under the next number.
                    day = day + datetime.timedelta(days=30)
                    actions.void_certificate(certificate, by=by, on=day, reason=VoidReason.LOST, note="本人报告遗失")
                    certificate = actions.issue_certificate(outflow, by=by, issued_on=day, note="遗失补发")
                    void, issued = 1, issued + 1
                year_later = day + datetime.timedelta(days=rng.randint(330, 380))
                if year_later <= today and rng.random() < 0.5:  # checked; the others stay due their check
                    actions.record_check(
                        certificate, by=by, on=year_later, kind=CheckKind.YEARLY, note="本人持证到场，记录完整"
                    )
                    checks += 1
                elif (today - day).days > 20 and rng.random() < 0.3:
                    inspected = day + datetime.timedelta(days=rng.randint(10, (today - day).days))
                    actions.record_check(
                        certificate, by=by, on=inspected, kind=CheckKind.INSPECTION, note="流入地党组织查验"
                    )
                    checks += 1
    total = Certificate.objects.count()
    due = Certificate.objects.due(today).count()
    context.stdout.write(
        f"  certificates: {carried} carried over from the outflows, {issued} issued in {len(chosen)} townships, "
        f"{checks} checks, {due} due their check, {void} void"
    )
    return {"certificates": total, "issued": issued, "checks": checks, "due": due, "void": void}
