"""Certificates carried over from the outflows' own certificate fields (number, issue date, last check), as they
were kept before the register: used by the data migration (with its historical models) and by the demo data."""

from typing import Any

from certificates.numbering import parse_sequence

OPEN_STATUSES = ("registered", "reported", "lost")
NOTE_ENDED = "由外出登记转入；外出已于%s结束，交回时间未登记"
NOTE_CARRIED = "由外出登记转入"


def carry_over(apps: Any, schema_editor: Any = None) -> int:
    """One certificate per outflow that names a certificate number and has none yet in the register: valid while
    the outflow is open, handed back on the day it ended otherwise; its last check becomes a recorded check; each
    township's counter of a year starts after the highest number already written in its format. Returns how many
    certificates were created."""
    outflow_model = apps.get_model("members", "Outflow")
    certificate_model = apps.get_model("certificates", "Certificate")
    check_model = apps.get_model("certificates", "CertificateCheck")
    counter_model = apps.get_model("certificates", "CertificateCounter")

    taken = set(certificate_model.objects.values_list("number", flat=True))
    done = set(certificate_model.objects.exclude(outflow=None).values_list("outflow_id", flat=True))
    outflows = (
        outflow_model.objects.exclude(certificate_number="")
        .select_related("member__home_branch__parent")
        .order_by("certificate_issued_on", "departure_date", "id")
    )
    created: list[Any] = []
    checks: list[Any] = []
    highest: dict[tuple[int, int], int] = {}
    total = 0
    for outflow in outflows.iterator(chunk_size=2000):
        member, number = outflow.member, outflow.certificate_number.strip()[:30]
        township = member.home_branch.parent
        if outflow.pk in done or not number or township is None or township.kind != "township":
            continue
        base, n = number, 1
        while number in taken:  # the same number written on two outflows: both are kept, the second marked
            n += 1
            number = f"{base[:26]}（{n}）"
        taken.add(number)
        issued_on = outflow.certificate_issued_on or outflow.departure_date
        is_open = outflow.status in OPEN_STATUSES
        sequence = parse_sequence(township, issued_on.year, number)
        if sequence is not None:
            key = (township.pk, issued_on.year)
            highest[key] = max(highest.get(key, 0), sequence)
        certificate = certificate_model(
            member=member,
            outflow=outflow,
            township=township,
            home_branch_id=member.home_branch_id,
            flowing_org_id=member.flowing_org_id if member.current_outflow_id == outflow.pk else None,
            number=number,
            year=issued_on.year,
            sequence=sequence,
            issued_on=issued_on,
            status="valid" if is_open else "handed_back",
            last_checked_on=outflow.certificate_checked_on,
            handed_back_on=None if is_open else (outflow.ended_on or issued_on),
            note=NOTE_CARRIED if is_open else NOTE_ENDED % (outflow.ended_on or issued_on).isoformat(),
        )
        created.append(certificate)
        total += 1
        if len(created) >= 2000:
            checks += _save(certificate_model, check_model, created)
            created = []
    checks += _save(certificate_model, check_model, created)
    check_model.objects.bulk_create(checks, batch_size=2000)
    for (township_id, year), last in highest.items():
        counter, _created = counter_model.objects.get_or_create(township_id=township_id, year=year)
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
    return total


def _save(certificate_model: Any, check_model: Any, certificates: list[Any]) -> list[Any]:
    certificate_model.objects.bulk_create(certificates, batch_size=2000)
    saved = certificate_model.objects.filter(number__in=[c.number for c in certificates], last_checked_on__isnull=False)
    return [
        check_model(certificate=c, kind="yearly", checked_on=c.last_checked_on, note=NOTE_CARRIED)
        for c in saved.only("pk", "last_checked_on")
    ]
