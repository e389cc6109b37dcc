"""Optimistic locking for drafts: a row carries a ``revision``; a save made from an older one is
refused with this error (code "stale"), and the form shows the other person's text."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def stale_edit_error(updated_by, updated_at) -> ValidationError:
    return ValidationError(
        _(
            "%(who)s saved a change at %(when)s, after you opened this page. Your change has not "
            "been saved. Their version is shown below: copy anything you need from yours, then "
            "save again."
        )
        % {
            "who": updated_by.full_name if updated_by else _("Someone"),
            "when": timezone.localtime(updated_at).strftime("%H:%M"),
        },
        code="stale",
    )
