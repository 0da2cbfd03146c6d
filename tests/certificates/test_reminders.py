"""The monthly reminder counts the certificates actually due their yearly check, per secretary answering for the
members, and its link opens the register on exactly those certificates."""

import datetime
import re

import pytest

from certificates import actions
from certificates.models import Certificate
from lanshan_party import registry
from lanshan_party.models import Channel, Notification, NotificationKind
from members import actions as member_actions
from tests.conftest import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")  # 2026-06-15: a year ago is 2025-06-15
TODAY = datetime.date(2026, 6, 15)
LONG_AGO, RECENTLY = datetime.date(2025, 1, 10), datetime.date(2026, 2, 1)


def _reported_in_huadu(county, n: int) -> list:
    outflows = []
    for _ in range(n):
        member = MemberFactory(home_branch=county.huaguo)
        outflow = member_actions.register_outflow(
            member, by=county.admin, departure_date=datetime.date(2025, 1, 1), province="广东省", city="广州市",
            district="花都区",
        )  # fmt: skip
        outflows.append(member_actions.report_arrival(outflow, by=county.admin, on=datetime.date(2025, 1, 5)))
    return outflows


@pytest.fixture
def ten_reported(county):
    """Ten members reported in Huadu, each with a certificate: 3 due their check (issued long ago, never checked or
    checked long ago), 2 issued long ago but checked this year, 3 issued recently, and 2 issued long ago that are
    no longer out (one handed back, one void)."""
    outflows = _reported_in_huadu(county, 10)
    certificates = [
        actions.issue_certificate(outflow, by=county.admin, issued_on=RECENTLY if i in (5, 6, 7) else LONG_AGO)
        for i, outflow in enumerate(outflows)
    ]
    actions.record_check(certificates[2], by=county.admin, on=datetime.date(2025, 3, 1))  # still due: over a year
    for certificate in certificates[3:5]:
        actions.record_check(certificate, by=county.admin, on=datetime.date(2026, 1, 20))
    actions.hand_back(certificates[8], by=county.admin, on=datetime.date(2026, 1, 2), condition="intact")
    actions.void_certificate(certificates[9], by=county.admin, on=datetime.date(2026, 1, 2), reason="lost")
    county.due = certificates[:3]
    return county


def _reminder(user) -> Notification:
    return Notification.objects.get(recipient=user, kind=NotificationKind.CERTIFICATE_CHECK, channel=Channel.IN_APP)


def _count(reminder: Notification) -> int:
    """The number the reminder's subject states (in whatever language it was written)."""
    return int(re.search(r"\d+", reminder.subject)[0])


def _listed(user, link: str) -> set[str]:
    response = login(user).get(link)
    assert response.status_code == 200
    return {row.record.number for row in response.context["table"].paginated_rows}


def test_the_secretary_is_reminded_of_the_3_certificates_due_among_10_reported_and_the_link_lists_those_3(
    ten_reported,
):
    registry.SWEEPS["certificate_checks"](TODAY)

    reminder = _reminder(ten_reported.secretary)
    assert _count(reminder) == 3
    assert _listed(ten_reported.secretary, reminder.link) == {c.number for c in ten_reported.due}
    assert len(_listed(ten_reported.secretary, "/certificates/")) == 10  # unfiltered, the register lists all ten


def test_a_certificate_of_a_member_back_home_is_counted_for_the_home_branch_and_listed_on_its_link(ten_reported):
    back = ten_reported.due[0]
    member_actions.return_home(back.outflow, by=ten_reported.admin, on=datetime.date(2026, 6, 1))

    registry.SWEEPS["certificate_checks"](TODAY)

    assert _count(_reminder(ten_reported.secretary)) == 2
    branch = _reminder(ten_reported.branch)
    assert _count(branch) == 1
    assert _listed(ten_reported.branch, branch.link) == {back.number}
    assert _listed(ten_reported.secretary, _reminder(ten_reported.secretary).link) == {
        c.number for c in ten_reported.due[1:]
    }


def test_running_the_sweep_twice_in_a_month_reminds_once(ten_reported):
    assert registry.SWEEPS["certificate_checks"](TODAY) > 0
    assert registry.SWEEPS["certificate_checks"](TODAY + datetime.timedelta(days=3)) == 0


def test_the_sweep_is_the_certificate_registers_and_nobody_is_reminded_when_nothing_is_due(county):
    assert registry.SWEEPS["certificate_checks"].__module__ == "certificates.reminders"
    actions.issue_certificate(county.yuan_outflow, by=county.admin, issued_on=RECENTLY)

    assert registry.SWEEPS["certificate_checks"](TODAY) == 0
    assert Certificate.objects.due(TODAY).count() == 0
