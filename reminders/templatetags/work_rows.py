"""``{% work_rows rows %}``: the rows of Your work and of the cycle view (``selectors.WorkRow``),
each a list item with its standing, its link, its cycle, partnership and date, and on the cycle
view and a coordinator's overdue list who owes it (``show_owed_by=True``).

Written out here rather than by an included template for each row: a page lists up to some
hundred rows, and the include with its tags cost more than the rest of the page's work (issue
17). The words are the Welsh catalogue's, as the template's were, and every value is escaped as
the template escaped it."""

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def work_rows(rows, show_owed_by: bool = False) -> SafeString:
    words = _Words()
    # safe: every value is escaped as it is put in; the sentences are the catalogue's own markup.
    return mark_safe("".join(_row(row, show_owed_by, words) for row in rows))


class _Words:
    """The page's words, each looked up (and each date written) once, not once a row."""

    def __init__(self):
        self.new = gettext("new until %(day)s")
        self.today = gettext("due today")
        self.due = gettext("due %(day)s")
        self._days: dict = {}
        self._overdue: dict[int, str] = {}
        self._standing: dict[str, str] = {}

    def day(self, day) -> str:
        if day not in self._days:
            self._days[day] = _value(date_format(day, "j M Y"))
        return self._days[day]

    def overdue(self, days: int) -> str:
        if days not in self._overdue:
            self._overdue[days] = ngettext(
                "was due %(day)s, %(days)s day overdue",
                "was due %(day)s, %(days)s days overdue",
                days,
            )
        return self._overdue[days]

    def standing(self, row) -> str:
        if row.standing not in self._standing:
            self._standing[row.standing] = _value(row.standing_text)
        return self._standing[row.standing]


def _value(value) -> str:
    """A value as ``{{ value }}`` prints it."""
    return escape(value if isinstance(value, str) else localize(value))


def _row(row, show_owed_by: bool, words: _Words) -> str:
    item = row.item
    new = row.standing == "new"
    day = words.day(item.due_on)
    if new:
        when = words.new % {"day": day} + "\n  "
    elif row.days_left < 0:
        days = row.days_overdue
        when = words.overdue(days) % {"day": day, "days": _value(days)} + "\n  "
    elif row.days_left == 0:
        when = words.today + "\n  "
    else:
        when = words.due % {"day": day}
    owed_by = ""
    if show_owed_by:
        names = ", ".join(escape(name) for name in row.owed_by)
        if row.owed_by and new:
            who = gettext("For %(names)s") % {"names": names}
        elif row.owed_by:
            who = gettext("Owed by %(names)s") % {"names": names}
        elif new:
            who = gettext("Nobody reads these in this partnership yet")
        else:
            who = (
                "<strong>"
                + gettext("Nobody in the partnership can do this yet: check who holds the role")
                + "</strong>"
            )
        owed_by = (
            f'<span class="govuk-body-s app-work-item__meta" data-testid="owed-by">{who}</span>'
        )
    return (
        f'<li class="app-work-item" data-kind="{_value(item.kind)}" '
        f'data-standing="{_value(row.standing)}">\n'
        f'  <strong class="govuk-tag govuk-tag--{_value(row.colour)}">'
        f"{words.standing(row)}</strong>\n"
        f'  <a class="govuk-link govuk-!-font-weight-bold" href="{_value(item.url)}">'
        f"{_value(item.title)}</a>\n"
        f'  <span class="govuk-body-s app-work-item__meta">{_value(row.label)} · '
        f"{_value(item.partnership_name)} ·\n"
        f"  {when}</span>\n"
        f"  {owed_by}\n"
        "</li>\n"
    )
