"""The data migration carries the outflows' own certificate fields into the register: open outflows' certificates
stay valid with their last check recorded, ended ones count as handed back, numbers already in a township's format
keep their place in its numbering, and running it again adds nothing."""

import datetime
import importlib

import pytest
from django.apps import apps

from certificates import actions
from certificates.models import Certificate, CertificateCounter, CertificateStatus
from members import actions as member_actions
from members.models import Outflow
from tests.factories import MemberFactory

migration = importlib.import_module("certificates.migrations.0002_carry_over_outflow_certificates")


def _write(outflow: Outflow, number: str, issued: datetime.date, checked: datetime.date | None = None) -> None:
    Outflow.objects.filter(pk=outflow.pk).update(
        certificate_number=number, certificate_issued_on=issued, certificate_checked_on=checked
    )


@pytest.fixture
def written(county):
    """Certificate fields as the outflow form used to take them."""
    _write(county.yuan_outflow, "LS202400123", datetime.date(2024, 3, 5), datetime.date(2025, 4, 1))
    _write(county.ma_outflow, "总市2025-004", datetime.date(2025, 2, 2))
    back = member_actions.register_outflow(
        county.qin, by=county.admin, departure_date=datetime.date(2023, 5, 1), province="浙江省", city="义乌市"
    )
    county.qin_outflow = member_actions.return_home(back, by=county.admin, on=datetime.date(2024, 1, 20))
    _write(back, "LS202300077", datetime.date(2023, 5, 1), datetime.date(2023, 12, 1))
    twin = MemberFactory(name="欧阳华", home_branch=county.huaguo)
    county.twin_outflow = member_actions.register_outflow(
        twin, by=county.admin, departure_date=datetime.date(2025, 1, 1), province="广东省", city="深圳市"
    )
    _write(county.twin_outflow, "LS202400123", datetime.date(2025, 1, 1))  # the same number written twice
    return county


def test_each_outflow_with_a_certificate_number_becomes_a_certificate_of_the_register(written):
    migration.forwards(apps, None)

    yuan = Certificate.objects.get(outflow=written.yuan_outflow)
    assert (yuan.number, yuan.status, yuan.township, yuan.flowing_org) == (
        "LS202400123", CertificateStatus.VALID, written.tafeng, written.huadu,
    )  # fmt: skip
    assert (yuan.issued_on, yuan.last_checked_on) == (datetime.date(2024, 3, 5), datetime.date(2025, 4, 1))
    assert list(yuan.checks.values_list("checked_on", flat=True)) == [datetime.date(2025, 4, 1)]
    assert yuan.sequence is None

    qin = Certificate.objects.get(outflow=written.qin_outflow)
    assert (qin.status, qin.handed_back_on, qin.flowing_org) == (
        CertificateStatus.HANDED_BACK, datetime.date(2024, 1, 20), None,
    )  # fmt: skip
    twin = Certificate.objects.get(outflow=written.twin_outflow)
    assert twin.number.startswith("LS202400123") and twin.number != yuan.number
    assert Certificate.objects.count() == 4


def test_a_number_in_the_townships_format_keeps_its_place_and_the_next_issue_follows_it(written):
    migration.forwards(apps, None)

    ma = Certificate.objects.get(outflow=written.ma_outflow)
    assert (ma.year, ma.sequence) == (2025, 4)
    assert CertificateCounter.objects.get(township=written.zongshi, year=2025).last == 4
    actions.void_certificate(ma, by=written.admin, on=datetime.date(2025, 3, 1), reason="damaged")
    again = actions.issue_certificate(written.ma_outflow, by=written.admin, issued_on=datetime.date(2025, 3, 1))
    assert again.number == "总市2025-005"


def test_carrying_over_again_adds_nothing(written):
    migration.forwards(apps, None)
    before = list(Certificate.objects.order_by("pk").values_list("pk", "number"))

    migration.forwards(apps, None)

    assert list(Certificate.objects.order_by("pk").values_list("pk", "number")) == before


def test_the_migration_depends_on_the_members_migration_holding_the_outflow_certificate_fields():
    assert ("members", "0006_member_standing_transferred_out") in migration.Migration.dependencies
