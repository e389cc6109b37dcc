"""``{% address "app:name" slug pk %}``: ``{% url %}`` for a page that links every row of a long
table to the same kind of page (issue 17: the force-area page of a 32-partnership area reversed
160 addresses, a tenth of its rendering).

Each name is reversed once a rendering, with stand-ins for its arguments, and each row's address
is the stand-ins replaced by the row's values. That is exactly what ``reverse`` gives whenever
every argument is a whole number or a slug, which an address keeps as it is (nothing to quote);
any other argument is reversed as ``{% url %}`` would."""

import re

from django import template
from django.urls import reverse

register = template.Library()

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _stand_in(position: int, value) -> str | int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return 987_654_320 + position  # no row's id comes near it on the same page
    if isinstance(value, str) and _SLUG.fullmatch(value):
        return f"stand-in-{position}-for-address"
    return None


@register.simple_tag(takes_context=True)
def address(context, name: str, *args) -> str:
    stand_ins = [_stand_in(position, value) for position, value in enumerate(args)]
    if any(stand_in is None for stand_in in stand_ins):
        return reverse(name, args=args)
    patterns = context.render_context.setdefault("addresses", {})
    key = (name, tuple(type(stand_in) for stand_in in stand_ins))
    if key not in patterns:
        patterns[key] = (
            reverse(name, args=stand_ins),
            re.compile("|".join(re.escape(str(stand_in)) for stand_in in stand_ins)),
        )
    pattern, stand_in_found = patterns[key]
    values = {str(stand_in): str(value) for stand_in, value in zip(stand_ins, args, strict=True)}
    # One pass: a value is never searched again for another argument's stand-in.
    return stand_in_found.sub(lambda match: values[match.group()], pattern)
