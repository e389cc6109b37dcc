"""The GOV.UK date input takes a month's name as well as its number, and explains a wrong one."""

from datetime import date

import pytest
from django import forms

from csp_portal.forms import GovukDateField


class _Form(forms.Form):
    when = GovukDateField(label="Due date")


@pytest.mark.parametrize("month", ["4", "04", "April", "april", "Apr", "APR."])
def test_a_month_by_number_or_name(month):
    form = _Form({"when_0": "1", "when_1": month, "when_2": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 4, 1)


def test_a_month_that_is_neither_is_explained():
    form = _Form({"when_0": "1", "when_1": "Aprilish", "when_2": "2026"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter the month as a number or a name, like 4 or April"]
