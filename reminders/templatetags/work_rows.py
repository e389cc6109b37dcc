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
    # Each sentence looked up once for the page, not once a row.
    words = {
        "new": gettext("new until %(day)s"),
        "today": gettext("due today"),
        "due": gettext("due %(day)s"),
    }
    # safe: every value is escaped as it is put in; the sentences are the catalogue's own markup.
    return mark_safe("".join(_row(row, show_owed_by, words) for row in rows))


def _value(value) -> str:
    """A value as ``{{ value }}`` prints it."""
    return escape(localize(value))


def _row(row, show_owed_by: bool, words: dict[str, str]) -> str:
    item = row.item
    new = row.standing == "new"
    day = _value(date_format(item.due_on, "j M Y"))
    if new:
        when = words["new"] % {"day": day} + "\n  "
    elif row.days_left < 0:
        when = (
            ngettext(
                "was due %(day)s, %(days)s day overdue",
                "was due %(day)s, %(days)s days overdue",
                row.days_overdue,
            )
            % {"day": day, "days": _value(row.days_overdue)}
            + "\n  "
        )
    elif row.days_left == 0:
        when = words["today"] + "\n  "
    else:
        when = words["due"] % {"day": day}
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
        f"{_value(row.standing_text)}</strong>\n"
        f'  <a class="govuk-link govuk-!-font-weight-bold" href="{_value(item.url)}">'
        f"{_value(item.title)}</a>\n"
        f'  <span class="govuk-body-s app-work-item__meta">{_value(row.label)} · '
        f"{_value(item.partnership_name)} ·\n"
        f"  {when}</span>\n"
        f"  {owed_by}\n"
        "</li>\n"
    )
