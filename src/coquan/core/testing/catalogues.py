"""Checks on the translation catalogues (DESIGN.md §9: a complete Vietnamese catalogue).

Used by ``web/tests/test_i18n.py`` for every CoQuan app (``catalogue_apps``):

- ``extract_entries(app_dir, workdir)`` runs Django's ``makemessages`` on a copy of the app's
  sources (what ``cd <app> && coquan makemessages -l vi`` would see) and returns the msgids
  the code uses today;
- ``untranslated(app_dir, workdir)`` lists those msgids that have no non-fuzzy Vietnamese
  translation in the committed ``django.po``;
- ``shadowed(app_dir)`` lists messages for which Django shows a translation from another
  catalogue (the first installed app wins);
- ``stale_compiled(po, mo, workdir)`` compiles the committed ``.po`` with ``msgfmt`` (as
  ``compilemessages`` does) and compares the result with the committed ``.mo``.
"""

from __future__ import annotations

import ast
import contextlib
import gettext
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the django domain
LANGUAGE = "vi"


@dataclass
class PoEntry:
    """One message of a .po/.pot file."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def label(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid

    @property
    def translated(self) -> bool:
        return (
            not self.obsolete
            and "fuzzy" not in self.flags
            and bool(self.msgstr)
            and all(s.strip() for s in self.msgstr)
        )


def _unquote(token: str) -> str:
    """The value of one quoted PO string (C escapes, as Python string literals)."""
    return ast.literal_eval(token)


def parse_po(text: str) -> list[PoEntry]:
    """Parse the text of a .po/.pot file into entries (the header entry included)."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None
    seen_msgid = False

    def finish():
        nonlocal current, flags, target, seen_msgid
        if current is not None and seen_msgid:
            entries.append(current)
        current, flags, target, seen_msgid = None, set(), None, False

    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"continuation line without a keyword: {raw!r}")
            name, index = target
            value = _unquote(line)
            if index is None:
                setattr(current, name, (getattr(current, name) or "") + value)
            else:
                current.msgstr[index] += value
            continue
        if keyword == "msgctxt":
            if seen_msgid:
                finish()
            current = current or PoEntry(msgid="")
            current.msgctxt = _unquote(rest)
            target = ("msgctxt", None)
        elif keyword == "msgid":
            if seen_msgid:
                finish()
            current = current or PoEntry(msgid="")
            current.msgid = _unquote(rest)
            current.flags = flags
            current.obsolete = obsolete
            seen_msgid = True
            target = ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest)
            target = ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            while len(current.msgstr) <= index:
                current.msgstr.append("")
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise ValueError(f"unexpected line in catalogue: {raw!r}")
    finish()
    return entries


def catalogue_apps(package_dir: Path) -> list[Path]:
    """The app folders under ``package_dir`` that must carry a Vietnamese catalogue.

    Those with a ``locale`` folder, and every installed app living there (an empty folder is
    not kept by git, so a fresh clone must not let an app without a catalogue slip through).
    """
    from django.apps import apps

    found = {path.parent for path in package_dir.glob("*/locale") if path.is_dir()}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == package_dir.resolve():
            found.add(path)
    return sorted(found)


def po_path(app_dir: Path) -> Path:
    return app_dir / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"


def _copy_sources(app_dir: Path, target: Path) -> None:
    for source in app_dir.rglob("*"):
        relative = source.relative_to(app_dir)
        if "locale" in relative.parts or "__pycache__" in relative.parts:
            continue
        if source.is_file() and source.suffix in SOURCE_SUFFIXES:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    (target / "locale" / LANGUAGE / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)


def extract_entries(app_dir: Path, workdir: Path) -> list[PoEntry]:
    """The messages the app's sources use now, extracted by Django's ``makemessages``."""
    from django.core.management import call_command
    from django.test import override_settings

    copy = workdir / app_dir.name
    _copy_sources(app_dir, copy)
    # makemessages writes into LOCALE_PATHS[0] when set: keep it inside the copy.
    with contextlib.chdir(copy), override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=[LANGUAGE], keep_pot=True, verbosity=0)
    pot = copy / "locale" / "django.pot"
    if not pot.exists():  # no translatable string at all
        return []
    return [e for e in parse_po(pot.read_text(encoding="utf-8")) if e.msgid]


def untranslated(app_dir: Path, workdir: Path) -> list[str]:
    """Msgids used by the app that lack a non-fuzzy Vietnamese translation."""
    wanted = extract_entries(app_dir, workdir)
    catalogue = po_path(app_dir)
    committed = {}
    if catalogue.exists():
        entries = parse_po(catalogue.read_text(encoding="utf-8"))
        committed = {e.key: e for e in entries if not e.obsolete}
    missing = []
    for entry in wanted:
        found = committed.get(entry.key)
        if found is None or not found.translated:
            missing.append(entry.label)
    return missing


def _uncapitalised(text: str) -> str:
    # Django capitalises verbose names where it shows them (capfirst): "tên" and "Tên" agree.
    return text[:1].lower() + text[1:]


def shadowed(app_dir: Path) -> list[str]:
    """Messages of the app's catalogue for which Django shows another Vietnamese text.

    Django merges the catalogues of all installed apps and the first app listed wins, so a
    msgid that another app (Django's admin, another CoQuan app) translates differently is
    shown with that other translation. Use ``pgettext`` with a context, or agree on one
    translation, so that the page says what the catalogue says.
    """
    from django.utils import translation

    catalogue = po_path(app_dir)
    if not catalogue.exists():
        return []
    problems = []
    with translation.override(LANGUAGE):
        for entry in parse_po(catalogue.read_text(encoding="utf-8")):
            if not entry.msgid or not entry.translated:
                continue
            if entry.msgid_plural:
                shown = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                )
            elif entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            if _uncapitalised(shown) != _uncapitalised(entry.msgstr[0]):
                problems.append(f"{entry.label!r}: catalogue {entry.msgstr[0]!r}, shown {shown!r}")
    return problems


def compile_po(po: Path, workdir: Path) -> Path:
    """Compile ``po`` as ``compilemessages`` does (``msgfmt --check-format``)."""
    mo = workdir / (po.parent.parent.parent.parent.name + ".mo")
    done = subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(mo), str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"msgfmt failed on {po}:\n{done.stderr}")
    return mo


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def stale_compiled(po: Path, mo: Path, workdir: Path) -> list[str]:
    """Messages on which the committed ``mo`` differs from a fresh compile of ``po``."""
    if not mo.exists():
        return ["<no compiled .mo file>"]
    fresh = read_mo(compile_po(po, workdir))
    committed = read_mo(mo)
    differing = []
    for key in sorted(set(fresh) | set(committed), key=repr):
        if key == "":
            continue  # the header (creation dates) is not a message
        if fresh.get(key) != committed.get(key):
            differing.append(repr(key))
    return differing
