"""After the demo data is loaded, the raw database file holds no plaintext ID number or phone."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum.cn import ric

ROOT = Path(__file__).resolve().parent.parent
ID_NUMBER = re.compile(rb"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])")
MOBILE = re.compile(rb"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def valid_id_numbers(raw: bytes) -> list[str]:
    found = []
    for match in ID_NUMBER.finditer(raw):
        number = match.group().decode().upper()
        if ric.calc_check_digit(number) == number[-1]:
            found.append(number)
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
    assert MOBILE.findall(raw) == []


def test_the_scanner_finds_plaintext_when_there_is_some():
    """The patterns above really match what they look for (so the scan cannot pass by accident)."""
    body = "43112719761116399"
    number = body + ric.calc_check_digit(body)
    raw = f"xx{number}yy|phone:18707280104;".encode()
    assert valid_id_numbers(raw) == [number]
    assert MOBILE.findall(raw) == [b"18707280104"]
