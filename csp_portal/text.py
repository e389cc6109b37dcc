"""What a text field may hold, in every form and every API body.

Control characters (NUL, bell, escape, …) are never part of what someone means to write, so no
text field takes them. A single-line field (anything but a textarea) refuses line breaks too: its
value becomes a title, a name, a file name or an email subject, where a line break starts a new
header. Multi-line fields keep their line breaks and tabs.

One rule, applied to every field where forms and serializers are built rather than to each field:
``PlainTextFormMixin`` (every page form, through ``GovukFormMixin``) and ``StrictSerializer``
(every API body). tests/test_code_rules.py fails on a form or input serializer without it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_NOT_IN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same less CR, LF and tab, which multi-line text is made of.
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_OPTIONAL = re.compile(r"\s*\([^)]*\)$")


@deconstructible
class PlainTextValidator:
    """Refuses control characters and, unless ``multi_line``, line breaks. ``label`` names the
    field in the message, as GOV.UK error messages do; without it the message says "This field"."""

    code = "control_characters"

    def __init__(self, *, multi_line: bool = False, label=None):
        self.multi_line = multi_line
        self.label = label

    def __call__(self, value) -> None:
        pattern = _NOT_IN_TEXT if self.multi_line else _NOT_IN_ONE_LINE
        if value is not None and pattern.search(str(value)):
            raise ValidationError(self.message(), code=self.code)

    def message(self) -> str:
        if self.multi_line:
            if self.label:
                return _("%(label)s must not contain control characters") % {"label": self.label}
            return _("This field must not contain control characters.")
        if self.label:
            return _("%(label)s must not contain line breaks or control characters") % {
                "label": self.label
            }
        return _("This field must not contain line breaks or control characters.")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and (self.multi_line, self.label) == (
            other.multi_line,
            other.label,
        )


def has_plain_text_rule(field) -> bool:
    return any(isinstance(validator, PlainTextValidator) for validator in field.validators)


def takes_plain_text(field) -> bool:
    """A form text field the rule applies to: not a password, which is never shown or sent on
    (refusing one at sign-in would only lock its owner out)."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


class PlainTextFormMixin:
    """Gives every text field of the form the rule as it is cleaned, so that fields added in
    ``__init__`` have it too."""

    def full_clean(self):
        for name, field in self.fields.items():
            if takes_plain_text(field) and not has_plain_text_rule(field):
                multi_line = isinstance(field.widget, forms.Textarea)
                # "Unit (optional)" is named "Unit" in the message.
                label = _OPTIONAL.sub("", str(field.label or pretty_name(name)))
                field.validators.append(PlainTextValidator(multi_line=multi_line, label=label))
        super().full_clean()
