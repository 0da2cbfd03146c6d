"""The columns that every ledger of people (members, inflow members) carries alike, and how an importer matches its
rows by the ID number's blind index."""

import copy
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy

from lanshan_party.ledgers.definitions import CHOICE, DATE, ID_NUMBER, PHONE, Column
from lanshan_party.ledgers.importers import as_input
from lanshan_party.ledgers.imports import RowResult
from lanshan_party.people import FROM_ID_NUMBER
from lanshan_party.personal_data import blind_index, normalize_id_number


def gender_column(choices: type[models.Choices]) -> Column:
    return Column("性别", "gender", CHOICE, 6, choices, "gender", help=FROM_ID_NUMBER)


def birth_date_column() -> Column:
    return Column("出生日期", "birth_date", DATE, 12, field="birth_date", help=FROM_ID_NUMBER)


def id_number_column(header: str, aliases: tuple[str, ...]) -> Column:
    """The citizen ID number, under the header of the ledger's customary layout and the other names for it."""
    return Column(
        header,
        "id_number",
        ID_NUMBER,
        21,
        field="id_number",
        required=True,
        aliases=aliases,
        help=gettext_lazy("18 characters, as text; a trailing x is accepted."),
    )


def phone_column() -> Column:
    return Column("联系电话", "phone", PHONE, 14, field="phone", aliases=("手机号码", "手机号"))


def id_number_digest(cell: str) -> str:
    """The blind index of a full (18-character) ID number as a ledger row gives it; "" for anything else."""
    number = normalize_id_number(cell)
    return blind_index(number) if len(number) == 18 else ""


Person = TypeVar("Person", bound=models.Model)


def first_of_rows(
    seen: dict[str, int], result: RowResult, header: str, digest: str, instance: Person | None, message: str
) -> Person | None:
    """The stored person of a row's ID number, with the row faulted (`message`, given %(row)d) if an earlier row of
    the file has the same number: then a copy, so that the first row's stays untouched."""
    if not digest:
        return instance
    first = seen.setdefault(digest, result.row)
    if first == result.row:
        return instance
    result.fault(header, message % {"row": first})
    return copy.copy(instance) if instance is not None else None


def stored_input(person: models.Model, fields: list[str], blank: tuple[str, ...], organization: str) -> dict[str, str]:
    """The stored person (or a new one's defaults) as form input, for a row to overlay: the `blank` personal data
    empty, which for a stored person keeps it (as on the page), the `organization` by its name."""
    values = {}
    for name in fields:
        if name in blank:
            values[name] = ""
        elif name == organization:
            values[name] = getattr(person, name).name if getattr(person, f"{name}_id") else ""
        else:
            values[name] = as_input(getattr(person, name))
    return values
