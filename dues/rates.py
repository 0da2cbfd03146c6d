"""The official Party dues rates (2008 中组部《关于中国共产党党费收缴、使用和管理的规定》) as one pure function.

On-the-job members pay a share of their monthly after-tax pay: up to 3000 元 0.5%, above 3000 up to 5000 1%, above
5000 up to 10000 1.5%, above 10000 2% — of the whole income, not by slices. Retired members pay 0.5% of a pension up
to 5000 元 and 1% above. Farmers pay a fixed monthly amount set by the province (settings.DUES_FARMER_MONTHLY, 0.2
to 1 元); students, the unemployed and members on 低保 pay 0.2 元.

Amounts are rounded to the fen with ROUND_HALF_UP, as a cashier rounds (0.005 元 → 0.01 元): ROUND_HALF_EVEN, Decimal's
default, would round 1.125 down to 1.12, which nobody at a branch would expect.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FEN = Decimal("0.01")
FARMER_MIN, FARMER_MAX = Decimal("0.2"), Decimal("1")
FARMER_DEFAULT = Decimal("0.5")
FIXED_LOW = Decimal("0.2")  # students, unemployed, 低保

EMPLOYED, RETIRED, FARMER, STUDENT, UNEMPLOYED, LOW_INCOME = (
    "employed",
    "retired",
    "farmer",
    "student",
    "unemployed",
    "low_income",
)
INCOME_BASES = (EMPLOYED, RETIRED)  # the bases whose amount is a share of a monthly income

# (upper bound of the bracket inclusive, rate); None: no upper bound.
EMPLOYED_BRACKETS = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIRED_BRACKETS = ((Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01")))


def farmer_monthly() -> Decimal:
    """The province's monthly amount for farmers (settings.DUES_FARMER_MONTHLY), which must be 0.2 to 1 元."""
    value = Decimal(str(getattr(settings, "DUES_FARMER_MONTHLY", FARMER_DEFAULT)))
    if not FARMER_MIN <= value <= FARMER_MAX:
        raise ImproperlyConfigured(f"DUES_FARMER_MONTHLY must be between 0.2 and 1 yuan, not {value}.")
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def rate_for(basis: str, income: Decimal) -> Decimal:
    brackets = EMPLOYED_BRACKETS if basis == EMPLOYED else RETIRED_BRACKETS
    for upper, rate in brackets:
        if upper is None or income <= upper:
            return rate
    raise AssertionError("unreachable")


def monthly_dues(basis: str, income: Decimal | None = None) -> Decimal:
    """The monthly dues in 元 (to the fen) for a basis and, for the employed and retired, the monthly after-tax
    income or pension. ValueError for an unknown basis or a missing or negative income."""
    if basis in INCOME_BASES:
        if income is None:
            raise ValueError("an income is needed for this basis")
        income = Decimal(income)
        if income < 0:
            raise ValueError("the income cannot be negative")
        return (income * rate_for(basis, income)).quantize(FEN, rounding=ROUND_HALF_UP)
    if basis == FARMER:
        return farmer_monthly()
    if basis in (STUDENT, UNEMPLOYED, LOW_INCOME):
        return FIXED_LOW
    raise ValueError(f"unknown basis {basis!r}")
