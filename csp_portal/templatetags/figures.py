"""``{{ value|figure }}``: every figure a person reads, printed one way: 1,369, not 1369.

A builtin of every template (settings.TEMPLATES), so no page prints a count, a population, an
offence figure or a contribution without it. Decimals lose their trailing zeros ("12500.0"
reads "12,500"); text that is not a number (a figure kept as typed) is shown as it is.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value) -> str:
    if value is None or value == "" or isinstance(value, bool):
        return "" if value in (None, "") else str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number.normalize(), force_grouping=True)
