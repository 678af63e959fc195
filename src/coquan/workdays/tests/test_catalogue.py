"""The app's Vietnamese catalogue is complete, and the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES"


def _parse_po(text: str) -> list[dict]:
    """The entries of a .po file: {"msgctxt", "msgid", "msgid_plural", "msgstr": [...]}."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict = {"msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                entry.setdefault("flags", []).append(line)
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
                continue
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(value)
            else:
                key = keyword
                entry[key] = value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


ENTRIES = _parse_po((LOCALE / "django.po").read_text(encoding="utf-8"))


def test_every_message_has_a_vietnamese_translation():
    assert len(ENTRIES) > 100
    fuzzy = [e["msgid"] for e in ENTRIES if any("fuzzy" in f for f in e.get("flags", []))]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    missing = [e["msgid"] for e in ENTRIES if not e["msgstr"] or not all(e["msgstr"])]
    assert not missing, f"untranslated: {missing}"


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in ENTRIES:
        if "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr"][0]
        elif "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0]
