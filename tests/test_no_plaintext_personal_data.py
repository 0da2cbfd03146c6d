"""After the demo data is loaded, the raw database file holds no plaintext ID number or phone."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from lanshan_party.personal_data import decrypt, validate_id_number

ROOT = Path(__file__).resolve().parent.parent
# Free-standing numbers: hex hashes and base64 ciphertext may hold digit runs, never bounded by non-alphanumerics.
# Nor after a dot: SQLite stores a row's columns back to back, so a timestamp's microseconds run straight into
# the digits of the next column's date ("…01.188109" + "2026-11-18"), which is not a phone number.
ID_NUMBER = re.compile(
    rb"(?<![0-9A-Za-z.])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
MOBILE = re.compile(rb"(?<![0-9A-Za-z.])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def valid_id_numbers(raw: bytes) -> list[str]:
    found = []
    for match in ID_NUMBER.finditer(raw):
        number = match.group().decode().upper()
        try:
            found.append(validate_id_number(number))
        except ValidationError:
            continue
    return found


@pytest.mark.slow
def test_the_demo_database_file_contains_no_plaintext_id_number_or_phone(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo", "--members", "600"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)

    # Read the main file and anything SQLite left beside it (WAL), as bytes: no decoding, no ORM.
    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("demo.sqlite3"))
    assert len(raw) > 100_000

    assert valid_id_numbers(raw) == []
    phones = [raw[max(0, m.start() - 60) : m.end() + 20] for m in MOBILE.finditer(raw)]
    assert phones == [], "mobile numbers in clear, with what surrounds them"

    # And the exact values: decrypt every stored ID number and phone, and look for each in the raw bytes.
    with sqlite3.connect(database) as connection:
        tokens = connection.execute("SELECT id_number, phone FROM members_member").fetchall()
        tokens += connection.execute("SELECT id_number, phone, contact_phone FROM inflow_inflowmember").fetchall()
    plaintexts = {decrypt(token) for row in tokens for token in row if token}
    assert len(plaintexts) > 1000
    assert [value for value in plaintexts if value.encode() in raw] == []


def test_the_scanner_finds_plaintext_when_there_is_some():
    """The patterns above really match what they look for (so the scan cannot pass by accident)."""
    number = "431127197611163991"
    raw = f"\x00{number}\x01|phone:18707280104;".encode()
    assert valid_id_numbers(raw) == [number]
    assert MOBILE.findall(raw) == [b"18707280104"]
