"""Each township numbers its certificates per year, in order, with no gap and no number given twice; concurrent
issues (PostgreSQL) wait for the locked counter row instead of taking the same number."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from certificates import actions
from certificates.models import Certificate, CertificateCounter
from certificates.numbering import format_number, township_prefix
from members import actions as member_actions
from tests.factories import MemberFactory


def _away(county, n: int, branch=None) -> list:
    outflows = []
    for _ in range(n):
        member = MemberFactory(home_branch=branch or county.huaguo)
        outflows.append(
            member_actions.register_outflow(
                member, by=county.admin, departure_date=datetime.date(2025, 5, 1), province="广东省", city="广州市"
            )
        )
    return outflows


def test_a_townships_name_gives_the_prefix_of_its_numbers(county):
    assert township_prefix(county.tafeng) == "塔峰"
    assert township_prefix(county.zongshi) == "总市"
    assert format_number(county.tafeng, 2026, 7) == "塔峰2026-007"


def test_certificates_issued_one_after_another_are_numbered_without_gaps_per_township_and_year(county, on_a_fixed_day):
    tafeng = _away(county, 4)
    zongshi = _away(county, 2, branch=county.zongshicun)
    day_2025, day_2026 = datetime.date(2025, 6, 1), datetime.date(2026, 1, 5)

    numbers = [actions.issue_certificate(o, by=county.admin, issued_on=day_2025).number for o in tafeng[:3]]
    numbers += [actions.issue_certificate(o, by=county.admin, issued_on=day_2025).number for o in zongshi]
    numbers.append(actions.issue_certificate(tafeng[3], by=county.admin, issued_on=day_2026).number)

    assert numbers == ["塔峰2025-001", "塔峰2025-002", "塔峰2025-003", "总市2025-001", "总市2025-002", "塔峰2026-001"]
    assert CertificateCounter.objects.get(township=county.tafeng, year=2025).last == 3


def test_a_refused_issue_gives_its_number_back(county):
    first, second = _away(county, 2)
    actions.issue_certificate(first, by=county.admin, issued_on=datetime.date(2025, 6, 1))

    with pytest.raises(ValidationError):  # the member already holds a valid certificate
        actions.issue_certificate(first, by=county.admin, issued_on=datetime.date(2025, 6, 2))
    with pytest.raises(ValidationError):  # issued in the future
        actions.issue_certificate(second, by=county.admin, issued_on=datetime.date(2999, 1, 1))

    assert actions.issue_certificate(second, by=county.admin, issued_on=datetime.date(2025, 7, 1)).number == (
        "塔峰2025-002"
    )


def test_a_voided_number_is_never_given_again(county):
    (outflow,) = _away(county, 1)
    first = actions.issue_certificate(outflow, by=county.admin, issued_on=datetime.date(2025, 6, 1))
    actions.void_certificate(first, by=county.admin, on=datetime.date(2025, 6, 2), reason="lost")

    again = actions.issue_certificate(outflow, by=county.admin, issued_on=datetime.date(2025, 6, 3))

    assert (first.number, again.number) == ("塔峰2025-001", "塔峰2025-002")


def test_a_township_officer_cannot_issue_for_a_member_of_another_township(county):
    (outflow,) = _away(county, 1, branch=county.zongshicun)

    with pytest.raises(ValidationError, match="总市镇"):
        actions.issue_certificate(outflow, by=county.township, issued_on=datetime.date(2025, 6, 1))
    assert not Certificate.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_certificates_issued_at_the_same_moment_get_consecutive_numbers_none_twice(county):
    outflows = _away(county, 8)
    barrier = threading.Barrier(len(outflows))
    errors: list[BaseException] = []

    def issue(outflow) -> None:
        try:
            barrier.wait()
            actions.issue_certificate(outflow, by=county.admin, issued_on=datetime.date(2026, 1, 2))
        except BaseException as error:  # noqa: BLE001  reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(outflow,)) for outflow in outflows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"塔峰2026-{n:03d}" for n in range(1, 9)]
    assert CertificateCounter.objects.get(township=county.tafeng, year=2026).last == 8
