"""Letters past their validity without a receipt are reminded to the branch and its township, once a month."""

import datetime

from lanshan_party.models import Notification
from tests.transfers.conftest import issue
from transfers import actions
from transfers.reminders import sweep_overdue_letters


def test_an_expired_letter_is_reminded_once_a_month_to_the_branch_secretary_and_the_township(county, li):
    transfer = issue(county, valid_days=30)
    second = issue(county, li, valid_days=60)  # still valid then: not reminded
    expired_on = transfer.valid_until + datetime.timedelta(days=1)

    assert sweep_overdue_letters(transfer.valid_until) == 0
    written = sweep_overdue_letters(expired_on)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert written >= 2 and recipients == {"branch", "township"}
    assert all(transfer.letter_code in n.subject for n in Notification.objects.all())
    assert sweep_overdue_letters(expired_on) == 0  # a second run: nothing new
    next_month = (expired_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert next_month <= second.valid_until
    assert sweep_overdue_letters(next_month) == written  # the next month again, for the first letter only


def test_a_letter_whose_receipt_came_back_is_not_reminded(county):
    transfer = issue(county)
    actions.record_receipt(transfer, by=county.branch, on=transfer.issued_on, receiving_org="三东社区党委")
    assert sweep_overdue_letters(transfer.valid_until + datetime.timedelta(days=5)) == 0
