"""The audit log in words: each change of an event as a labelled line a person can read.

Services record ``changes`` as ``{field: [before, after]}`` in whatever shape the data had (codes
of enumerations, ISO dates, lists, whole Markdown paragraphs). This turns them into what a
coordinator reads: the field's name in words, an enumeration's label instead of its code, dates
as dates, lists as lists, nothing for a field that did not change, and long text as the few words
that changed.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.apps import apps
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from csp_portal.templatetags.figures import figure

# Text longer than this, or on more than one line, is shown as the words that changed.
LONG_TEXT = 80
# Words of unchanged text kept either side of a change.
CONTEXT_WORDS = 6

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# What Markdown puts before a line (a list item, a heading, a quotation) and around words.
_LINE_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+")
_WORD_MARKS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class Change:
    field: str
    before: str | SafeString
    after: str | SafeString
    # Long text: one diff of the words instead of before and after.
    diff: SafeString | None = None

    @property
    def text(self) -> str:
        none = _("none")
        if self.before == none:
            return str(self.after)
        if self.after == none:
            return _("%(before)s (removed)") % {"before": self.before}
        return _("was %(before)s, now %(after)s") % {"before": self.before, "after": self.after}


@cache
def _choice_labels() -> dict[str, object]:
    """Every enumeration's code and label across the project's models (statuses, RAG ratings,
    seats, roles …): the log has only the code, and codes are unique enough across them. The
    labels stay lazy, so each reader gets them in their own language."""
    labels: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value and not isinstance(label, list | tuple):
                    labels.setdefault(value, label)
    return labels


def field_label(name: str) -> str:
    """``priorities_added`` → "Priorities added"; ``vision.text`` → "Vision: text"."""
    parts = [part.replace("_", " ").strip() for part in name.split(".")]
    text = ": ".join(part for part in parts if part)
    return text[:1].upper() + text[1:]


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def value_text(value) -> str:
    """One recorded value in words."""
    if value is None or value == "" or value == [] or value == {}:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return figure(value)
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, str) and _ISO_DATE.match(v) for v in value):
            return _("%(start)s to %(end)s") % {
                "start": value_text(value[0]),
                "end": value_text(value[1]),
            }
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {value_text(v)}" for k, v in value.items())
    text = str(value)
    if _DECIMAL.match(text):  # a figure recorded as text, as decimals are
        return figure(text)
    if _ISO_DATE.match(text):
        try:
            return _date(date.fromisoformat(text))
        except ValueError:
            return text
    if _ISO_DATETIME.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "j F Y, H:i")
    if _CODE.match(text):
        label = _choice_labels().get(text)
        if label:
            return str(label)
    return text


def _plain_words(text: str) -> list[str]:
    """The words of Markdown as a reader sees them: without the marks of emphasis or lists."""
    words = []
    for line in text.splitlines():
        for word in _LINE_MARK.sub("", line).split():
            word = _WORD_MARKS.sub("", word)
            if word:
                words.append(word)
    return words


def words_diff(before: str, after: str) -> SafeString:
    """The words that changed, struck through and underlined, with a few words either side."""
    old, new = _plain_words(before), _plain_words(after)
    pieces = []
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > CONTEXT_WORDS * 2 or ((first or last) and len(words) > CONTEXT_WORDS):
                head = [] if first else words[:CONTEXT_WORDS]
                tail = [] if last else words[-CONTEXT_WORDS:]
                words = [*head, "…", *tail]
            pieces.append(format_html("{}", " ".join(words)))
            continue
        if i2 > i1:
            pieces.append(format_html("<del>{}</del>", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(format_html("<ins>{}</ins>", " ".join(new[j1:j2])))
    return format_html_join(" ", "{}", ((piece,) for piece in pieces))


def _is_long(value) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


def changes_in_words(changes: dict) -> list[Change]:
    """The event's changes a person reads: fields whose value did not change are left out."""
    lines = []
    for name, pair in (changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if before == after or (not before and not after):
            continue
        if _is_long(before) or _is_long(after):
            lines.append(
                Change(field_label(name), "", "", diff=words_diff(before or "", after or ""))
            )
        else:
            lines.append(Change(field_label(name), value_text(before), value_text(after)))
    return lines
