"""Payments on the fixed day 2026-06-15: back pay of at most 6 months, no month of a later year, no month paid twice
wherever paid, the amount not below the dues, paid at home or at the destination with a certificate only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dues import actions
from dues.models import DuesMonth, DuesPayment, DuesStandard
from tests.conftest import login
from tests.dues.conftest import fresh

DAY = datetime.date(2026, 6, 15)


def pay(world, member, months, *, at=None, amount=None, on=DAY, **extra):
    due = Decimal("40.00") * len(months)
    return actions.record_payment(
        member,
        months=months,
        amount=amount if amount is not None else due,
        paid_on=on,
        paid_at=at or member.home_branch,
        by=world.admin,
        **extra,
    )


def months_error(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["months"])


def test_back_pay_of_six_months_is_accepted(dues_world):
    payment = pay(dues_world, dues_world.qin, [(2025, 12)])  # June 2026 minus 6 months
    assert list(payment.months.values_list("year", "month")) == [(2025, 12)]


def test_back_pay_of_seven_months_is_refused_saying_the_limit(dues_world):
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, dues_world.qin, [(2025, 11), (2025, 12)])
    assert "2025-11" in months_error(excinfo) and "6" in months_error(excinfo)
    assert not DuesPayment.objects.exists()  # the valid month is not recorded alone either


def test_months_ahead_are_accepted_within_the_year_and_refused_in_the_next(dues_world):
    pay(dues_world, dues_world.qin, [(2026, 7), (2026, 12)])
    DuesStandard.objects.filter(member=dues_world.qin, year=2026).update(year=2027)  # a standard for 2027 exists
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, dues_world.qin, [(2027, 1)])
    assert "2027-01" in months_error(excinfo)


def test_a_month_paid_at_the_destination_cannot_be_paid_again_at_home(dues_world):
    yuan = dues_world.yuan
    pay(dues_world, yuan, [(2026, 5)], at=dues_world.huadu)
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, fresh(yuan), [(2026, 5), (2026, 6)], at=yuan.home_branch)
    assert "2026-05" in months_error(excinfo) and dues_world.huadu.name in months_error(excinfo)
    assert DuesMonth.objects.filter(member=yuan).count() == 1


def test_the_database_itself_refuses_a_second_row_for_the_same_month(dues_world):
    payment = pay(dues_world, dues_world.qin, [(2026, 5)])
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesMonth.objects.create(
            member=dues_world.qin, payment=payment, year=2026, month=5, amount=1, home_branch=dues_world.chengdong
        )


def test_paying_at_the_flowing_organization_needs_an_activity_certificate(dues_world):
    ma = dues_world.ma  # away in Kunming without a certificate
    assert ma.flowing_org_id == dues_world.kunming.pk
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, ma, [(2026, 5)], at=dues_world.kunming)
    assert "paid_at" in excinfo.value.message_dict


def test_an_amount_below_the_dues_is_refused_and_more_is_accepted(dues_world):
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, dues_world.qin, [(2026, 5), (2026, 6)], amount=Decimal("79.99"))
    assert "80.00" in " ".join(excinfo.value.message_dict["amount"])
    assert pay(dues_world, dues_world.qin, [(2026, 5)], amount=Decimal("100")).amount == Decimal("100")


def test_paying_on_behalf_needs_the_name_of_who_paid(dues_world):
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, dues_world.qin, [(2026, 5)], paid_by="proxy")
    assert "proxy_name" in excinfo.value.message_dict
    assert pay(dues_world, dues_world.qin, [(2026, 5)], paid_by="proxy", proxy_name="覃父").proxy_name == "覃父"


def test_no_payment_without_a_confirmed_standard_for_the_year(dues_world):
    DuesStandard.objects.filter(member=dues_world.qin, year=2026).update(confirmed_at=None)
    with pytest.raises(ValidationError) as excinfo:
        pay(dues_world, dues_world.qin, [(2026, 5)])
    assert "2026" in months_error(excinfo)


def test_the_payment_form_records_the_months_ticked_for_exactly_their_dues(dues_world):
    client = login(dues_world.branch)
    url = reverse("dues:payment_create", args=[dues_world.yuan.pk])
    response = client.post(
        url,
        {"months": ["2026-04", "2026-05"], "paid_on": "2026-06-01", "paid_at": dues_world.huaguo.pk, "paid_by": "self"},
    )
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert payment.amount == Decimal("80.00") and payment.paid_at == dues_world.huaguo


def test_the_payment_form_shows_a_refused_month_in_chinese_words_and_saves_nothing(dues_world):
    client = login(dues_world.branch)
    pay(dues_world, dues_world.yuan, [(2026, 5)], at=dues_world.huadu)
    response = client.post(
        reverse("dues:payment_create", args=[dues_world.yuan.pk]),
        {"months": ["2026-05"], "paid_on": "2026-06-01", "paid_at": dues_world.huaguo.pk, "paid_by": "self"},
    )
    assert response.status_code == 200
    assert "2026-05" in str(response.context["form"].errors["months"])
    assert DuesPayment.objects.count() == 1
