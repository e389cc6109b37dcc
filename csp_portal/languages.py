"""The languages the service speaks, and the one way an email or notification is put into its
recipient's.

Each language is named in its own language ("English", "Cymraeg"), as GOV.UK's language toggle
names them, so the names are not translated. A person who has not chosen has no preference ("")
and is written to in the default language. Every email is rendered inside
``recipient_language(...)`` (tests/test_code_rules.py holds that), so its subject and body follow
the person it goes to, not whoever's request or task happened to send it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.html import format_html


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"


# The language toggle's links: each says, in the language it leads to and for screen readers
# only, what it does (GOV.UK's and HMRC's wording), so neither is translated.
TOGGLE = [
    {"code": Language.ENGLISH.value, "name": "English", "hidden": "Change the language to English"},
    {"code": Language.WELSH.value, "name": "Cymraeg", "hidden": "Newid yr iaith i’r Gymraeg"},
]


def radio_choices() -> list[tuple[str, str]]:
    """The languages as a form's radios: each label marked as the language it is in, so a screen
    reader says "Cymraeg" in Welsh on an English page."""
    return [
        (code, format_html('<span lang="{}">{}</span>', code, name))
        for code, name in Language.choices
    ]


def language_of(recipient) -> str:
    """The language to write to ``recipient`` in: a language code, or anything with a
    ``language`` attribute (a person, an invitation); the default when none is chosen."""
    code = recipient if isinstance(recipient, str) else getattr(recipient, "language", "")
    return code if code in Language.values else settings.LANGUAGE_CODE


@contextmanager
def recipient_language(recipient) -> Iterator[str]:
    """Render what goes to ``recipient`` (subject, body, dates, numbers) in their language."""
    language = language_of(recipient)
    with translation.override(language):
        yield language
