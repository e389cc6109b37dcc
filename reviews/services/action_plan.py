"""The review's recommendations and, line by line, its action plan: what each owner organisation
does, by when, how it is going, and the evidence that it is done.

Audit rows carry the status, owner organisation and due date; what the texts say stays in the
review, where every read is logged.
"""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked

from ..models import DomesticHomicideReview, Recommendation, RecommendationStatus
from ..policies import ReviewPolicy, ReviewVerb

TEXT_FIELDS = ("recommendation", "action", "progress", "evidence_of_completion")


def fingerprint(line: Recommendation) -> str:
    """What the line said when a form was opened: an edit made meanwhile by someone else is
    detected, instead of silently overwritten (the model has no version column)."""
    parts = [*(getattr(line, name) for name in TEXT_FIELDS), line.status, str(line.owner_id)]
    parts.append(line.due_date.isoformat())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _validate(
    review: DomesticHomicideReview,
    *,
    owner: Organisation,
    status: str,
    due_date: date,
    due_date_changed: bool,
    values: dict[str, str],
) -> None:
    errors = {}
    if not values["recommendation"]:
        errors["recommendation"] = _("Enter the recommendation")
    if not values["action"]:
        errors["action"] = _("Enter the action that answers it")
    if not review.partnership.partner_organisations.filter(organisation=owner).exists():
        errors["owner"] = _("Choose an organisation that sits on this partnership")
    if due_date_changed and due_date < timezone.localdate():
        errors["due_date"] = _("The due date must be today or in the future")
    if due_date_changed:
        check_not_too_far(errors, "due_date", due_date, years=5)
    if status not in RecommendationStatus.values:
        errors["status"] = _("Select the status")
    elif status == RecommendationStatus.COMPLETE and not values["evidence_of_completion"]:
        errors["evidence_of_completion"] = _(
            "Give the evidence of completion before marking it complete"
        )
    if errors:
        raise ValidationError(errors)


def recommendation_add(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    recommendation: str,
    action: str,
    owner: Organisation,
    due_date: date,
    status: str = RecommendationStatus.OPEN,
    progress: str = "",
    evidence_of_completion: str = "",
    submission: Submission | None = None,
) -> Recommendation:
    values = {
        "recommendation": recommendation.strip(),
        "action": action.strip(),
        "progress": progress.strip(),
        "evidence_of_completion": evidence_of_completion.strip(),
    }
    with transaction.atomic():
        submission_claim(submission)
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(
            acting_user, review.partnership, ReviewVerb.MANAGE_ACTION_PLAN, review
        )
        if review.published_on is not None:
            raise ValidationError(
                _("The recommendations are those of the published report; none can be added.")
            )
        _validate(
            review,
            owner=owner,
            status=status,
            due_date=due_date,
            due_date_changed=True,
            values=values,
        )
        last = review.recommendations.aggregate(last=Max("position"))["last"]
        line = Recommendation(
            review=review,
            owner=owner,
            due_date=due_date,
            status=status,
            position=0 if last is None else last + 1,
            **values,
        )
        line.full_clean()
        line.save()
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.recommendation_add",
            target=review,
            changes={
                "recommendation": [None, line.position + 1],
                "owner": [None, owner.name],
                "due_date": [None, due_date.isoformat()],
                "status": [None, status],
            },
        )
    return line


def recommendation_update(
    *,
    acting_user: User,
    line: Recommendation,
    recommendation: str,
    action: str,
    owner: Organisation,
    due_date: date,
    status: str,
    progress: str = "",
    evidence_of_completion: str = "",
    based_on: str | None = None,
) -> Recommendation:
    """Change ``line`` of the action plan. After publication the recommendation's own words are
    those of the report; everything else (progress above all) goes on changing. ``based_on`` is
    the line's ``fingerprint`` when the editor opened it."""
    with transaction.atomic():
        review = locked(line.review, related=("partnership",))
        ReviewPolicy.require_user(
            acting_user, review.partnership, ReviewVerb.MANAGE_ACTION_PLAN, review
        )
        line = locked(line, related=("owner",), review=review)
        if based_on is not None and based_on != fingerprint(line):
            raise ValidationError(
                _(
                    "Someone else changed this line while you were editing it. "
                    "Check what it says now and save again."
                ),
                code="stale",
            )
        values = {
            "recommendation": recommendation.strip(),
            "action": action.strip(),
            "progress": progress.strip(),
            "evidence_of_completion": evidence_of_completion.strip(),
        }
        if review.published_on is not None and values["recommendation"] != line.recommendation:
            raise ValidationError(
                {"recommendation": _("The recommendation is worded as in the published report")}
            )
        _validate(
            review,
            owner=owner,
            status=status,
            due_date=due_date,
            due_date_changed=due_date != line.due_date,
            values=values,
        )
        changes = {}
        if line.status != status:
            changes["status"] = [line.status, status]
        if line.owner_id != owner.pk:
            changes["owner"] = [line.owner.name, owner.name]
        if line.due_date != due_date:
            changes["due_date"] = [line.due_date.isoformat(), due_date.isoformat()]
        changed_texts = [name for name in TEXT_FIELDS if getattr(line, name) != values[name]]
        if changed_texts:
            changes["changed"] = [None, changed_texts]
        for name, value in values.items():
            setattr(line, name, value)
        line.owner, line.due_date, line.status = owner, due_date, status
        line.full_clean()
        line.save()
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.recommendation_update",
            target=review,
            changes={"recommendation": [None, line.position + 1], **changes},
        )
    return line
