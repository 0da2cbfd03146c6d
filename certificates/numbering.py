"""How a township's certificate numbers read: 塔峰2026-007 (township, year, place in that year's numbering).

Plain functions of a township's names, so the data migration can use them with its historical models too."""

import re
from typing import Any

PREFIXES = (r"^中共", r"^蓝山县")
SUFFIXES = (r"(委员会|党委)$", r"(瑶族乡|街道|镇|乡)$")


def township_prefix(township: Any) -> str:
    """The township's short form in a certificate number: 中共蓝山县塔峰镇委员会 or 塔峰镇 → 塔峰."""
    name = township.short_name or township.name
    for pattern in (*PREFIXES, *SUFFIXES):
        name = re.sub(pattern, "", name)
    return name or str(township.pk)


def format_number(township: Any, year: int, sequence: int) -> str:
    return f"{township_prefix(township)}{year}-{sequence:03d}"


def parse_sequence(township: Any, year: int, number: str) -> int | None:
    """The place in the township's numbering of that year a number written in its format holds, else None."""
    match = re.fullmatch(rf"{re.escape(township_prefix(township))}{year}-(\d{{1,6}})", number)
    return int(match[1]) if match else None
