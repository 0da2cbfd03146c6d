"""Letters issued at the same moment in separate connections get consecutive numbers: no gap, no duplicate."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import MemberFactory
from tests.transfers.conftest import start_out, to_county
from transfers import actions
from transfers.models import LetterCounter, Transfer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
THREADS = 8


def test_letters_issued_concurrently_are_numbered_without_gaps_or_duplicates(county):
    transfers = [to_county(county, start_out(county, MemberFactory(home_branch=county.huaguo))) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def issue(transfer: Transfer) -> None:
        try:
            start.wait()
            actions.approve(transfer, by=county.county_staff)
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(transfer,)) for transfer in transfers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert connection.vendor == "postgresql"
    assert errors == []
    numbers = sorted(Transfer.objects.values_list("letter_number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert LetterCounter.objects.get().last == THREADS


def test_a_letter_whose_issue_fails_gives_its_number_back(county, li):
    transfer = to_county(county, start_out(county))
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        actions.approve(transfer, by=county.county_staff)
        raise RuntimeError("the printer caught fire")
    issued = actions.approve(to_county(county, start_out(county, li)), by=county.county_staff)
    assert issued.letter_number == 1
