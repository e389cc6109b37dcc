"""A PCC office's formal requests for a report, and the partnership's answers: ask, answer, ask
for more, close, withdraw. Each step is a ``csp_portal.workflow.transition`` of the request
(REPORT_REQUEST_TRANSITIONS) with an entry in its history."""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal import uploads
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Membership

from ..models import (
    REPORT_REQUEST_TRANSITIONS,
    EntryKind,
    ReportDocument,
    ReportRequest,
    ReportRequestEntry,
    ReportRequestStatus,
)
from ..policies import TARGET_STATUS, ReportRequestPolicy
from ..policies import ReportRequestVerb as V

# A report is asked for within a year; anything later is a typing mistake.
LONGEST_NOTICE = timedelta(days=366)
DOCUMENTS_PER_ANSWER = 10


def _entry(report_request, kind, acting_user, membership, body="", due_date=None):
    entry = ReportRequestEntry(
        report_request=report_request,
        kind=kind,
        body=body,
        due_date=due_date,
        author=acting_user,
        author_name=acting_user.full_name or acting_user.email,
        author_organisation=membership.organisation.name,
    )
    entry.full_clean()
    entry.save()
    return entry


def _checked_due_date(due_date: date | None) -> None:
    today = timezone.localdate()
    if due_date is None:
        message = _("Enter the due date")
    elif due_date <= today:
        message = _("The due date must be in the future")
    elif due_date > today + LONGEST_NOTICE:
        message = _("The due date must be within a year from today")
    else:
        return
    raise ValidationError({"due_date": message})


def _notify(report_request: ReportRequest) -> int:
    """Tell whoever the request now waits for: the coordinators of a request, the PCC office
    that asked of an answer."""
    from reminders.services import notifications_announce

    from ..deadlines import report_answer_items, report_request_items

    items = (
        report_answer_items
        if report_request.status == ReportRequestStatus.ANSWERED
        else report_request_items
    )
    return notifications_announce(items=items(ReportRequest.objects.filter(pk=report_request.pk)))


def _step(
    acting_user: User, membership: Membership, report_request: ReportRequest, verb: V, **kwargs
) -> tuple[ReportRequest, Membership]:
    """Lock the request, ask the policy, and move it on: the start of every step after the
    request, inside its transaction."""
    report_request = locked(report_request)
    membership = ReportRequestPolicy.require_member(acting_user, membership, verb, report_request)
    transition(
        report_request,
        TARGET_STATUS[verb],
        transitions=REPORT_REQUEST_TRANSITIONS,
        acting_user=acting_user,
        **kwargs,
    )
    return report_request, membership


def report_request_create(
    *,
    acting_user: User,
    membership: Membership,
    title: str,
    body: str,
    due_date: date | None,
    submission: Submission | None = None,
) -> ReportRequest:
    """Formally ask the partnership for a report; its coordinators are told at once and
    reminded before the due date."""
    with transaction.atomic():
        submission_claim(submission)
        membership = ReportRequestPolicy.require_member(acting_user, membership, V.REQUEST)
        _checked_due_date(due_date)
        report_request = ReportRequest(
            partnership=membership.partnership,
            title=title,
            due_date=due_date,
            requested_by=acting_user,
            requesting_organisation=membership.organisation,
        )
        report_request.full_clean()
        report_request.save()
        _entry(report_request, EntryKind.REQUEST, acting_user, membership, body, due_date)
        audit_record(
            acting_user=acting_user,
            partnership=membership.partnership,
            action="report_request.create",
            target=report_request,
            changes={"title": [None, title], "due_date": [None, due_date]},
        )
        _notify(report_request)
    return report_request


def _checked_files(files: list[UploadedFile]) -> list[str]:
    """The content type of each upload, or a ValidationError on ``file`` for the first bad one."""
    if len(files) > DOCUMENTS_PER_ANSWER:
        raise ValidationError(
            {"file": _("Attach at most %(count)s documents") % {"count": DOCUMENTS_PER_ANSWER}}
        )
    return [uploads.checked_content_type(upload) for upload in files]


def report_request_answer(
    *,
    acting_user: User,
    membership: Membership,
    report_request: ReportRequest,
    body: str,
    files: Iterable[UploadedFile] = (),
    submission: Submission | None = None,
) -> ReportRequestEntry:
    """The partnership's answer: text, and any documents (type- and size-checked)."""
    files = list(files)
    stored = []
    try:
        with transaction.atomic():
            submission_claim(submission)
            report_request, membership = _step(
                acting_user,
                membership,
                report_request,
                V.ANSWER,
                action="report_request.answer",
                audit_changes={"documents": [None, [uploads.display_name(f.name) for f in files]]},
            )
            entry = _entry(report_request, EntryKind.ANSWER, acting_user, membership, body)
            content_types = _checked_files(files)
            for upload, content_type in zip(files, content_types, strict=True):
                document = ReportDocument(
                    entry=entry,
                    token=secrets.token_hex(16),
                    original_name=uploads.display_name(upload.name),
                    content_type=content_type,
                    size=upload.size,
                )
                document.file.save(document.token, upload, save=False)
                stored.append(document.file)
                document.save()
            _notify(report_request)
    except Exception:
        for file in stored:  # nothing changed: no file outlives a rolled-back answer
            file.delete(save=False)
        raise
    return entry


def report_request_ask_more(
    *,
    acting_user: User,
    membership: Membership,
    report_request: ReportRequest,
    body: str,
    due_date: date | None,
    submission: Submission | None = None,
) -> ReportRequest:
    """Ask for more on an answered (or closed) request: it is reopened with a new due date."""
    with transaction.atomic():
        submission_claim(submission)
        report_request = locked(report_request)
        report_request, membership = _step(
            acting_user,
            membership,
            report_request,
            V.ASK_MORE,
            action="report_request.more",
            audit_changes={"due_date": [None, due_date]},
            due_date=due_date,
            round=report_request.round + 1,
        )
        _checked_due_date(due_date)
        _entry(report_request, EntryKind.MORE, acting_user, membership, body, due_date)
        _notify(report_request)
    return report_request


def _finish(acting_user, membership, report_request, *, verb, kind, action, note):
    with transaction.atomic():
        report_request, membership = _step(
            acting_user, membership, report_request, verb, action=action, audit_changes={}
        )
        _entry(report_request, kind, acting_user, membership, note)
    return report_request


def report_request_close(
    *, acting_user: User, membership: Membership, report_request: ReportRequest, note: str = ""
) -> ReportRequest:
    """The PCC is satisfied with the answer."""
    return _finish(
        acting_user,
        membership,
        report_request,
        verb=V.CLOSE,
        kind=EntryKind.CLOSE,
        action="report_request.close",
        note=note,
    )


def report_request_withdraw(
    *, acting_user: User, membership: Membership, report_request: ReportRequest, note: str = ""
) -> ReportRequest:
    """The PCC no longer needs the report; its reminders stop."""
    return _finish(
        acting_user,
        membership,
        report_request,
        verb=V.WITHDRAW,
        kind=EntryKind.WITHDRAW,
        action="report_request.withdraw",
        note=note,
    )
