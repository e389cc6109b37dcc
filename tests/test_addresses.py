"""``{% address %}`` gives every row the address ``{% url %}`` would, reversing each name once a
rendering (csp_portal/templatetags/addresses.py)."""

from django.template import Context, Template
from django.urls import reverse

TEMPLATE = Template(
    "{% load addresses %}{% for slug, pk in rows %}"
    "{% address 'plans:detail' slug pk %}|{% address 'partnerships:about' slug %}|"
    "{% endfor %}"
)


def test_each_row_gets_the_address_url_would_give():
    # The last: values that look like the stand-ins are not searched again.
    rows = [("trafford", 7), ("bolton", 123456), ("stand-in-0-for-address-987654321", 987654321)]

    rendered = TEMPLATE.render(Context({"rows": rows}))

    assert rendered.split("|")[:-1] == [
        address
        for slug, pk in rows
        for address in (
            reverse("plans:detail", args=[slug, pk]),
            reverse("partnerships:about", args=[slug]),
        )
    ]
