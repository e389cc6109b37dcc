"""csp_portal/text.py: the rule every text field of every form and API body has."""

import pytest
from django import forms

from csp_portal.forms import GovukFormMixin


class ExampleForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)
    password = forms.CharField(widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(label="Reference", required=False)
        self.build_helper()


def errors(**data) -> dict:
    form = ExampleForm({"title": "T", "password": "p", **data})
    form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    "text", ["A\r\nB", "A\nB", "A\rB", "A\tB", "A\x1bB", "A\x85B", "A\u2028B", "A\x7fB"]
)
def test_a_single_line_field_refuses_line_breaks_and_control_characters(text):
    assert errors(title=text) == {
        "title": ["Title must not contain line breaks or control characters"]
    }
    assert errors(added_later=text) == {
        "added_later": ["Reference must not contain line breaks or control characters"]
    }


def test_a_multi_line_field_keeps_its_lines_but_refuses_other_control_characters():
    assert errors(notes="First.\r\n\r\n\tSecond.") == {}
    assert errors(notes="Bell\x07") == {"notes": ["Notes must not contain control characters"]}


def test_a_password_is_left_as_typed():
    assert errors(password="pass\tword") == {}


def test_cleaning_twice_gives_one_message():
    form = ExampleForm({"title": "A\nB", "password": "p"})
    form.full_clean()
    form.full_clean()
    assert form.errors["title"] == ["Title must not contain line breaks or control characters"]
