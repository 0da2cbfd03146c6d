"""The official dues rates at every bracket edge, the fixed amounts, the farmer setting's bounds, and the rounding."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from dues.rates import monthly_dues


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        ("0", "0.00"),
        ("3000", "15.00"),  # 0.5 %
        ("3000.01", "30.00"),  # 1 % of the whole income, not of the slice above 3000
        ("5000", "50.00"),
        ("5000.01", "75.00"),  # 1.5 %
        ("10000", "150.00"),
        ("10000.01", "200.00"),  # 2 %
        ("25000", "500.00"),
    ],
)
def test_on_the_job_members_pay_by_the_bracket_their_monthly_pay_falls_in(income, expected):
    assert monthly_dues("employed", Decimal(income)) == Decimal(expected)


@pytest.mark.parametrize(("pension", "expected"), [("5000", "25.00"), ("5000.01", "50.00"), ("1800", "9.00")])
def test_retired_members_pay_half_a_percent_up_to_5000_and_one_percent_above(pension, expected):
    assert monthly_dues("retired", Decimal(pension)) == Decimal(expected)


@pytest.mark.parametrize("basis", ["student", "unemployed", "low_income"])
def test_students_the_unemployed_and_members_on_dibao_pay_twenty_fen(basis):
    assert monthly_dues(basis) == Decimal("0.20")


def test_farmers_pay_the_provinces_fixed_amount_half_a_yuan_by_default(settings):
    del settings.DUES_FARMER_MONTHLY
    assert monthly_dues("farmer") == Decimal("0.50")


@pytest.mark.parametrize("value", ["0.2", "1", "0.8"])
def test_the_farmer_amount_may_be_set_from_twenty_fen_to_one_yuan(settings, value):
    settings.DUES_FARMER_MONTHLY = value
    assert monthly_dues("farmer") == Decimal(value).quantize(Decimal("0.01"))


@pytest.mark.parametrize("value", ["0.19", "1.01", "0"])
def test_a_farmer_amount_outside_twenty_fen_to_one_yuan_is_refused_as_a_configuration_error(settings, value):
    settings.DUES_FARMER_MONTHLY = value
    with pytest.raises(ImproperlyConfigured):
        monthly_dues("farmer")


def test_amounts_round_half_up_to_the_fen():
    assert monthly_dues("employed", Decimal("2245")) == Decimal("11.23")  # 11.225: half-even would give 11.22
    assert monthly_dues("employed", Decimal("2244.99")) == Decimal("11.22")  # 11.22495


def test_an_income_basis_without_an_income_or_with_a_negative_one_is_refused():
    with pytest.raises(ValueError):
        monthly_dues("employed")
    with pytest.raises(ValueError):
        monthly_dues("retired", Decimal("-1"))
    with pytest.raises(ValueError):
        monthly_dues("pensioner", Decimal("100"))
