"""The Welsh catalogue is complete and safe (issue 16's quality bar).

- every message in ``locale/cy/LC_MESSAGES/django.po`` is translated and none is fuzzy;
- every string marked in a template or Python file is in it (makemessages' own extraction, run
  into a temporary folder, never over the committed file);
- every Welsh string keeps its English's placeholders and HTML tags, so a translation can neither
  break a page (a missing ``%(name)s`` raises, a lost ``</a>`` swallows the page) nor drop a value.

The first two are marked ``welsh_catalogue``: they fail while the catalogue waits for its
translations (``-m "not welsh_catalogue"`` leaves them out, e.g. on a branch before the merge).
"""

import os
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# As the lead runs it: manage.py makemessages -l cy --ignore=... (the same folders left out).
IGNORED = [".venv/*", "tests/*", "frontend/*", "static/*", "var/*"]
LEFT_OUT_OF_THE_COPY = {".venv", ".git", "locale", "tests", "frontend", "static", "var"}

PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}(?!\})")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def _label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0][0] if entry.occurrences else "?"
    return f"{where}: {entry.msgid[:70]!r}"


@pytest.mark.welsh_catalogue
def test_every_message_in_the_welsh_catalogue_is_translated_and_none_is_fuzzy():
    catalogue = _catalogue()
    untranslated = [_label(e) for e in catalogue.untranslated_entries()]
    fuzzy = [_label(e) for e in catalogue.fuzzy_entries()]
    assert (len(untranslated), len(fuzzy)) == (0, 0), (untranslated[:20], fuzzy[:20])


def _extracted(tmp_path: Path) -> set[tuple[str | None, str]]:
    """The msgids makemessages finds in the project now, extracted in a copy made of links (the
    committed catalogue is never written)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for child in ROOT.iterdir():
        if child.name not in LEFT_OUT_OF_THE_COPY:
            (copy / child.name).symlink_to(child)
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages",
                locale=["cy"],
                symlinks=True,
                ignore_patterns=IGNORED,
                keep_pot=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    template = polib.pofile(str(copy / "locale" / "django.pot"))
    return {(entry.msgctxt, entry.msgid) for entry in template if entry.msgid}


@pytest.mark.welsh_catalogue
def test_every_marked_string_is_in_the_welsh_catalogue(tmp_path):
    catalogue = {(e.msgctxt, e.msgid) for e in _catalogue() if not e.obsolete}
    missing = sorted(_extracted(tmp_path) - catalogue, key=str)
    assert missing == [], f"{len(missing)} not in the catalogue: run makemessages -l cy"


def _placeholders(text: str) -> Counter:
    found = Counter(PYTHON_PLACEHOLDER.findall(text))
    found.update(BRACE_PLACEHOLDER.findall(text))
    found.pop("%%", None)
    return found


def _tags(text: str) -> Counter:
    return Counter(tag.split()[0].rstrip(">").lower() for tag in HTML_TAG.findall(text))


def _positional(counts: Counter) -> dict:
    return {key: count for key, count in counts.items() if "(" not in key and "{" not in key}


def _differences(english: str, welsh: str, *, singular: str | None = None) -> list[str]:
    """What ``welsh`` lost or gained against ``english``; for a plural form, ``english`` is the
    plural msgid and ``singular`` the singular one."""
    wrong = []
    want, have = _placeholders(english), _placeholders(welsh)
    if singular is not None:
        # A plural form may leave out a named value (Welsh "un eitem" for "1 item"); it may not
        # bring one in, and never leave out a positional one (the % would then fail).
        allowed = set(want) | set(_placeholders(singular))
        if set(have) - allowed or _positional(have) != _positional(want):
            wrong.append(f"placeholders {dict(have)} for {dict(want)}")
    elif have != want:
        wrong.append(f"placeholders {dict(have)} for {dict(want)}")
    if _tags(english) != _tags(welsh):
        wrong.append(f"tags {dict(_tags(welsh))} for {dict(_tags(english))}")
    return wrong


def test_every_welsh_string_keeps_the_placeholders_and_tags_of_its_english():
    wrong = []
    for entry in _catalogue().translated_entries():
        if entry.msgid_plural:
            for form, welsh in entry.msgstr_plural.items():
                for problem in _differences(entry.msgid_plural, welsh, singular=entry.msgid):
                    wrong.append(f"{_label(entry)} [{form}]: {problem}")
        else:
            for problem in _differences(entry.msgid, entry.msgstr):
                wrong.append(f"{_label(entry)}: {problem}")
    assert wrong == []


@pytest.mark.parametrize(
    ("english", "welsh", "singular", "wrong"),
    [
        ("Hello %(name)s", "Helo %(name)s", None, False),
        ("Hello %(name)s", "Helo", None, True),
        ("Hello %(name)s", "Helo %(enw)s", None, True),
        ("%d items", "%d eitem", "%d item", False),
        ("%d items", "eitem", "%d item", True),
        ("%(count)s items", "un eitem", "%(count)s item", False),
        ("%(count)s items", "%(nifer)s eitem", "%(count)s item", True),
        ('Read <a href="%(url)s">this</a>', 'Darllenwch <a href="%(url)s">hwn</a>', None, False),
        ('Read <a href="%(url)s">this</a>', 'Darllenwch <a href="%(url)s">hwn', None, True),
        ("<strong>New</strong>", "<em>Newydd</em>", None, True),
        ('Method "{method}" not allowed.', 'Ni chaniateir y dull "{method}".', None, False),
        ('Method "{method}" not allowed.', "Ni chaniateir y dull.", None, True),
        ("100%% sure", "100%% sicr", None, False),
    ],
)
def test_the_placeholder_check_catches_what_it_should(english, welsh, singular, wrong):
    assert bool(_differences(english, welsh, singular=singular)) is wrong
