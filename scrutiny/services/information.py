"""The committee's information requests and the partnership's answers: ask, answer, withdraw.
Each step after the request is a ``csp_portal.workflow.transition`` of the request
(INFORMATION_REQUEST_TRANSITIONS)."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Partnership

from ..models import INFORMATION_REQUEST_TRANSITIONS, InformationRequest, InformationRequestStatus
from ..policies import InformationRequestPolicy
from ..policies import ScrutinyVerb as V

# Information is asked for within a year; anything later is a typing mistake.
LONGEST_NOTICE = timedelta(days=366)

# What an answer to the committee must not hold (SI 2009/942: depersonalised): an email
# address, or a title followed by a name ("Mrs Patel"). A rough net, with the answerer's
# declaration behind it; it catches the common slips, not every name.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z'-]+")


def personal_data_in(text: str) -> str:
    """The first thing in ``text`` that looks like it identifies someone ("" when none does)."""
    found = EMAIL.search(text) or TITLED_NAME.search(text)
    return found.group(0) if found else ""


def _name(user: User) -> str:
    return user.full_name or user.email


def checked_due_date(due_date: date | None, field: str = "due_date") -> None:
    today = timezone.localdate()
    if due_date is None:
        message = _("Enter the date the answer is needed by")
    elif due_date <= today:
        message = _("The date must be in the future")
    elif due_date > today + LONGEST_NOTICE:
        message = _("The date must be within a year from today")
    else:
        return
    raise ValidationError({field: message})


def _notify(information_request: InformationRequest) -> int:
    """Tell whoever the request now waits for, or is for: the coordinators of a new request, the
    member who asked of its answer."""
    from reminders.services import notifications_announce

    from ..deadlines import answer_items, request_items

    items = (
        answer_items
        if information_request.status == InformationRequestStatus.ANSWERED
        else request_items
    )
    queryset = InformationRequest.objects.filter(pk=information_request.pk)
    return notifications_announce(items=items(queryset))


def information_request_create(
    *,
    acting_user: User,
    partnership: Partnership,
    title: str,
    question: str,
    due_date: date | None,
    submission: Submission | None = None,
) -> InformationRequest:
    """A committee member asks the partnership for information by a date; its coordinators are
    told at once and reminded before the date."""
    with transaction.atomic():
        submission_claim(submission)
        InformationRequestPolicy.require_user(acting_user, partnership, V.CREATE)
        checked_due_date(due_date)
        information_request = InformationRequest(
            partnership=partnership,
            title=title,
            question=question,
            due_date=due_date,
            requested_by=acting_user,
            requested_by_name=_name(acting_user),
        )
        information_request.full_clean()
        information_request.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="scrutiny.information_request.create",
            target=information_request,
            changes={"title": [None, title], "due_date": [None, due_date]},
        )
        _notify(information_request)
    return information_request


def information_request_answer(
    *,
    acting_user: User,
    information_request: InformationRequest,
    answer: str,
    depersonalised: bool,
    submission: Submission | None = None,
) -> InformationRequest:
    """The partnership's answer, declared depersonalised; the member who asked is told."""
    with transaction.atomic():
        submission_claim(submission)
        information_request = locked(information_request, related=["partnership"])
        InformationRequestPolicy.require_user(
            acting_user, information_request.partnership, V.ANSWER, information_request
        )
        if not answer.strip():
            raise ValidationError({"answer": _("Enter the answer")})
        if found := personal_data_in(answer):
            raise ValidationError(
                {
                    "answer": _(
                        "The answer seems to identify someone (“%(found)s”). Answers to the "
                        "committee must be depersonalised: remove names and contact details, "
                        "or describe the person's role instead."
                    )
                    % {"found": found}
                }
            )
        if not depersonalised:
            raise ValidationError(
                {"depersonalised": _("Confirm that the answer identifies no one")}
            )
        transition(
            information_request,
            InformationRequestStatus.ANSWERED,
            transitions=INFORMATION_REQUEST_TRANSITIONS,
            acting_user=acting_user,
            action="scrutiny.information_request.answer",
            audit_changes={"answer": [None, f"{len(answer)} characters"]},
            answer=answer,
            depersonalised=True,
            answered_by=acting_user,
            answered_by_name=_name(acting_user),
            answered_at=timezone.now(),
        )
        _notify(information_request)
    return information_request


def information_request_withdraw(
    *, acting_user: User, information_request: InformationRequest
) -> InformationRequest:
    """The committee no longer needs the information; the reminders stop."""
    with transaction.atomic():
        information_request = locked(information_request, related=["partnership"])
        InformationRequestPolicy.require_user(
            acting_user, information_request.partnership, V.WITHDRAW, information_request
        )
        transition(
            information_request,
            InformationRequestStatus.WITHDRAWN,
            transitions=INFORMATION_REQUEST_TRANSITIONS,
            acting_user=acting_user,
            action="scrutiny.information_request.withdraw",
        )
    return information_request
