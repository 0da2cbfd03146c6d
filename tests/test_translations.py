"""The Simplified Chinese catalog is complete, compiled and current."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), fuzzy."""
    entries, current, key = [], None, None

    def unquote(line: str) -> str:
        return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape").encode("latin-1").decode()

    for line in text.splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {
                "msgctxt": None,
                "msgid": "",
                "msgid_plural": None,
                "msgstr": {},
                "fuzzy": False,
                "obsolete": False,
            }
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("msgctxt"):
            key, current["msgctxt"] = "msgctxt", unquote(line)
        elif line.startswith("msgid_plural"):
            key, current["msgid_plural"] = "msgid_plural", unquote(line)
        elif line.startswith("msgid"):
            key, current["msgid"] = "msgid", unquote(line)
        elif line.startswith("msgstr"):
            index = int(line[7]) if line.startswith("msgstr[") else 0
            key = ("msgstr", index)
            current["msgstr"][index] = unquote(line)
        elif line.startswith('"') and key is not None:
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += unquote(line)
            else:
                current[key] += unquote(line)
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert missing == [], f"untranslated: {missing[:10]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:10]}"


def test_every_placeholder_survives_translation():
    for entry in parse_po(PO.read_text(encoding="utf-8")):
        # Chinese has one plural form, which follows the plural source (it carries the count).
        source = entry["msgid_plural"] if entry["msgid_plural"] is not None else entry["msgid"]
        wanted = sorted(PLACEHOLDER.findall(source))
        for text in entry["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry["msgid"]


def test_the_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    for entry in parse_po(PO.read_text(encoding="utf-8")):
        if entry["msgid_plural"] is None and entry["msgctxt"] is None:
            assert catalog.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        elif entry["msgid_plural"] is None:
            assert catalog.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_the_catalog_holds_every_string_in_the_code(tmp_path):
    """makemessages finds no msgid the catalog lacks (it rewrites the .po, so work on a copy)."""
    work = tmp_path / "project"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(".venv", ".git", "static", "tests", "node_modules", "*.sqlite3*", "media"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=.venv",
            "--ignore=static",
            "--ignore=tests",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    fresh = {e["msgid"] for e in parse_po((work / PO.relative_to(ROOT)).read_text(encoding="utf-8"))}
    ours = {e["msgid"] for e in parse_po(PO.read_text(encoding="utf-8"))}
    assert sorted(fresh - ours) == [], "run makemessages and translate the new strings"
