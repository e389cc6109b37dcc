"""Every figure a person reads is printed one way, 1,369 not 1369 (csp_portal.templatetags.figures):
the filter itself here; the walk of the demonstration's pages, where crime figures, populations and
counts run into thousands, that finds no figure printed without its separators is in
tests/test_demo.py, which seeds the demonstration once for every test that reads it."""

from decimal import Decimal

import pytest

from csp_portal.templatetags.figures import figure


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1369, "1,369"),
        (-20000, "-20,000"),
        (Decimal("12500.0"), "12,500"),
        (Decimal("1234.50"), "1,234.5"),
        ("98765", "98,765"),
        (None, ""),
        ("n/a", "n/a"),
    ],
)
def test_a_figure_is_printed_with_thousands_separators(value, printed):
    assert figure(value) == printed
