"""Every change to a domestic homicide review: recording the notification, moving it through the
statutory process, holds, and who has access. Each is one transaction and audited; the audit
rows name the review by its reference and pseudonym only."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Membership, Partnership
from reminders.services import notifications_withdraw

from ..models import (
    REVIEW_TRANSITIONS,
    AccessGrant,
    AccessLogEntry,
    Decision,
    DomesticHomicideReview,
    ReviewHold,
    ReviewStatus,
)
from ..policies import MANAGING_REASONS, ReviewPolicy, ReviewVerb
from ..selectors import review_type_for_notification

S = ReviewStatus
V = ReviewVerb


def _next_reference(partnership: Partnership, year: int) -> str:
    prefix = f"DHR-{partnership.slug.upper()[:12]}-{year}-"
    taken = DomesticHomicideReview.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:02d}"


def review_notify(
    *,
    acting_user: User,
    partnership: Partnership,
    victim_pseudonym: str,
    perpetrator_pseudonym: str = "",
    death_month: date,
    notified_on: date,
    notified_by: Organisation,
    aged_16_or_over: bool | None = None,
    relationship: str = "",
    suicide_with_domestic_abuse: bool | None = None,
    qualifying_homicide: bool | None = None,
    aged_18_or_over: bool | None = None,
    offensive_weapon: bool | None = None,
    partner_holds_information: bool | None = None,
    circumstances: str = "",
    offensive_weapons: bool = False,
    submission: Submission | None = None,
) -> DomesticHomicideReview:
    """Record a police notification of a death that may meet the criteria. The person who
    records it holds access to it, and nobody else yet. Its type follows the law on the day of
    notification (``review_type_for_notification``; ``offensive_weapons`` asks for an offensive
    weapons homicide review), and the notification answers that type's criteria
    (``ReviewType.criteria``): each yes-or-no question it asks must be answered, and the answers
    to questions it does not ask are not kept."""
    answers = {
        "aged_16_or_over": aged_16_or_over,
        "relationship": relationship,
        "suicide_with_domestic_abuse": suicide_with_domestic_abuse,
        "qualifying_homicide": qualifying_homicide,
        "aged_18_or_over": aged_18_or_over,
        "offensive_weapon": offensive_weapon,
        "partner_holds_information": partner_holds_information,
    }
    errors = {}
    if death_month.replace(day=1) > notified_on:
        errors["death_month"] = _("The death must be before the notification")
    if notified_on > timezone.localdate():
        errors["notified_on"] = _("The date of notification must be today or in the past")
    if not partnership.partner_organisations.filter(organisation=notified_by).exists():
        errors["notified_by"] = _("Choose an organisation that sits on this partnership")
    review_type = review_type_for_notification(
        notified_on=notified_on, partnership=partnership, offensive_weapons=offensive_weapons
    )
    asked = {criterion.field: criterion for criterion in review_type.criteria_asked}
    for field, criterion in asked.items():
        if criterion.kind == "yes_no" and answers[field] is None:
            errors[field] = _("Answer yes or no: %(question)s") % {"question": criterion.question}
    if errors:
        raise ValidationError(errors)
    kept = {
        field: (value if field in asked else ("" if field == "relationship" else None))
        for field, value in answers.items()
    }
    # Not asked, a suicide where domestic abuse is a concern stays "no" (the column is required).
    with transaction.atomic():
        submission_claim(submission)
        Partnership.objects.select_for_update().get(pk=partnership.pk)
        ReviewPolicy.require_user(acting_user, partnership, V.RECORD)
        review = DomesticHomicideReview(
            partnership=partnership,
            reference=_next_reference(partnership, notified_on.year),
            review_type=review_type,
            victim_pseudonym=victim_pseudonym.strip(),
            perpetrator_pseudonym=perpetrator_pseudonym.strip(),
            death_month=death_month.replace(day=1),
            notified_on=notified_on,
            notified_by=notified_by,
            **{**kept, "suicide_with_domestic_abuse": bool(kept["suicide_with_domestic_abuse"])},
            circumstances=circumstances.strip(),
            created_by=acting_user,
        )
        review.full_clean()
        review.save()
        _grant(review, acting_user, AccessGrant.Reason.CREATOR, granted_by=acting_user)
        audit_record(
            acting_user=acting_user, partnership=partnership, action="review.notify", target=review
        )
    return review


# The fields each status needs, and how to check them (a date must not precede the notification).
REQUIRED_FOR = {
    S.DECIDED: ("decision", "decision_reasons", "decided_on"),
    S.HOME_OFFICE_NOTIFIED: ("home_office_notified_on",),
    S.COMMISSIONED: ("chair_name", "chair_independence", "chair_appointed_on"),
    S.SCOPING: ("terms_of_reference",),
    S.SUBMITTED: ("submitted_on",),
    S.PUBLISHED: ("published_on",),
}
FIELD_LABELS = {
    "decision": _("Select the decision"),
    "decision_reasons": _("Give the reasons for the decision"),
    "decided_on": _("Enter the date of the decision"),
    "home_office_notified_on": _("Enter the date the Home Office was told"),
    "chair_name": _("Enter the name of the independent chair"),
    "chair_independence": _("Record the chair's declaration of independence"),
    "chair_appointed_on": _("Enter the date the chair was appointed"),
    "terms_of_reference": _("Write the terms of reference"),
    "submitted_on": _("Enter the date it was submitted"),
    "published_on": _("Enter the date it was published"),
}


def review_advance(
    *, acting_user: User, review: DomesticHomicideReview, to: str, **fields
) -> DomesticHomicideReview:
    """Move the review to its next status, recording what that step needs. Steps out of order
    are refused here, before the fields, with this message rather than ``transition``'s."""
    with transaction.atomic():
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.ADVANCE, review)
        if (
            to not in REVIEW_TRANSITIONS[review.status]
            or to == S.ON_HOLD
            or (review.status == S.ON_HOLD)
        ):
            raise ValidationError(
                _("A review that is %(current)s cannot move to %(next)s.")
                % {
                    "current": review.get_status_display().lower(),
                    "next": ReviewStatus(to).label.lower(),
                },
                code="transition",
            )
        if review.status == S.CLOSED and review.decision != Decision.NO_REVIEW:
            raise ValidationError(_("Only a closed “no review” decision can be reopened."))
        if review.status == S.CLOSED:
            # Reopened because the Home Office directed a review: the decision is to review.
            fields.setdefault("decision", Decision.REVIEW)
        errors = {
            name: FIELD_LABELS[name]
            for name in REQUIRED_FOR.get(to, ())
            if fields.get(name) in (None, "")
        }
        for name in ("decided_on", "home_office_notified_on", "chair_appointed_on"):
            value = fields.get(name)
            if value and value < review.notified_on:
                errors[name] = _("The date cannot be before the notification")
            if value and value > timezone.localdate():
                errors[name] = _("The date must be today or in the past")
        if to == S.COMMISSIONED and review.decision != Decision.REVIEW:
            errors["__all__"] = _("Only a decision to review can be commissioned.")
        if (
            to == S.CLOSED
            and review.status == S.HOME_OFFICE_NOTIFIED
            and (review.decision != Decision.NO_REVIEW)
        ):
            errors["__all__"] = _("A decision to review goes on to be commissioned.")
        if review.status == S.CLOSED and fields.get("decision") != Decision.REVIEW:
            errors["decision"] = _("A reopened case is one the Home Office directed to review")
        resubmitting = to == S.SUBMITTED and review.status == S.RETURNED
        if resubmitting and (message := _qa_unanswered(review)):
            errors["submitted_on"] = message
        if errors:
            raise ValidationError(errors)
        values = {}
        if to == S.RETURNED:
            values["qa_round"] = review.qa_round + 1
        if review.status == S.CLOSED:
            values.update(directed_by_home_office=True, home_office_notified_on=None)
        values.update(
            (name, value.strip() if isinstance(value, str) else value)
            for name, value in fields.items()
        )
        # Validated as it will be saved. The audit row records the status alone: what the step
        # says (reasons, terms of reference) stays in the review, where every read is logged.
        for name, value in {**values, "status": to}.items():
            setattr(review, name, value)
        review.full_clean()
        return transition(
            review,
            to,
            transitions=REVIEW_TRANSITIONS,
            acting_user=acting_user,
            action="review.advance",
            audit_changes={},
            **values,
        )


def _qa_unanswered(review: DomesticHomicideReview) -> str:
    """Why the review cannot be resubmitted yet ("" when it can): the panel's feedback of the
    latest round must be recorded, and the chair must have answered every point of it."""
    items = review.qa_feedback.filter(round=review.qa_round)
    if not items.exists():
        return _("Record the quality assurance panel's feedback before resubmitting")
    unanswered = items.filter(answer="").count()
    if unanswered:
        return ngettext(
            "The independent chair must answer the panel's feedback first: %(count)d point is "
            "unanswered",
            "The independent chair must answer the panel's feedback first: %(count)d points are "
            "unanswered",
            unanswered,
        ) % {"count": unanswered}
    return ""


def review_welsh_government_notified(
    *, acting_user: User, review: DomesticHomicideReview, notified_on: date
) -> DomesticHomicideReview:
    """Record the day Welsh Government was told that a review takes place (a type whose process
    says so, once the decision is to review). Its clock stops."""
    with transaction.atomic():
        review = locked(review, related=("partnership", "review_type"))
        ReviewPolicy.require_user(
            acting_user, review.partnership, V.RECORD_WELSH_GOVERNMENT, review
        )
        if notified_on > timezone.localdate() or (
            review.decided_on and notified_on < review.decided_on
        ):
            raise ValidationError({"notified_on": _("Enter a date between the decision and today")})
        review.welsh_government_notified_on = notified_on
        review.full_clean()
        review.save(update_fields=["welsh_government_notified_on"])
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.welsh_government_notified",
            target=review,
            changes={"welsh_government_notified_on": [None, notified_on]},
        )
    return review


def review_hold(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    reason: str,
    started_on: date,
    expected_restart: date | None = None,
) -> DomesticHomicideReview:
    """Pause for criminal proceedings or an inquest; the completion clock stops."""
    with transaction.atomic():
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.HOLD, review)
        errors = {}
        if not reason.strip():
            errors["reason"] = _("Say why the review is on hold")
        if started_on < review.notified_on or started_on > timezone.localdate():
            errors["started_on"] = _("Enter a date between the notification and today")
        if expected_restart and expected_restart < started_on:
            errors["expected_restart"] = _("The expected restart must be after the hold starts")
        check_not_too_far(errors, "expected_restart", expected_restart, years=2)
        if errors:
            raise ValidationError(errors)
        ReviewHold.objects.create(
            review=review,
            reason=reason.strip(),
            started_on=started_on,
            expected_restart=expected_restart,
        )
        return transition(
            review,
            S.ON_HOLD,
            transitions=REVIEW_TRANSITIONS,
            acting_user=acting_user,
            action="review.hold",
            audit_changes={},
            held_from=review.status,
        )


def review_legal_hold_set(
    *, acting_user: User, review: DomesticHomicideReview, reason: str
) -> DomesticHomicideReview:
    """Place a legal hold (a reason) or lift it (no reason): while it holds, the retention run
    keeps every record of the review whatever its age."""
    with transaction.atomic():
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.LEGAL_HOLD, review)
        reason = reason.strip()
        if len(reason) > 300:
            raise ValidationError({"reason": _("The reason must be 300 characters or fewer")})
        if reason == review.legal_hold_reason:
            return review
        before = review.legal_hold_reason
        review.legal_hold_reason = reason
        review.save(update_fields=["legal_hold_reason"])
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.legal_hold" if reason else "review.legal_hold_lifted",
            target=review,
            changes={"legal_hold_reason": [before, reason]},
        )
        return review


def review_resume(
    *, acting_user: User, review: DomesticHomicideReview, ended_on: date
) -> DomesticHomicideReview:
    with transaction.atomic():
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.RESUME, review)
        hold = review.holds.get(ended_on__isnull=True)
        if ended_on < hold.started_on or ended_on > timezone.localdate():
            raise ValidationError(
                {"ended_on": _("Enter a date between the start of the hold and today")}
            )
        hold.ended_on = ended_on
        hold.save()
        return transition(
            review,
            review.held_from,
            transitions=REVIEW_TRANSITIONS,
            acting_user=acting_user,
            action="review.resume",
            audit_changes={},
            held_from="",
        )


def _grant(review, user, reason, *, granted_by) -> AccessGrant:
    grant = AccessGrant.objects.create(
        review=review, user=user, reason=reason, granted_by=granted_by
    )
    ReviewPolicy.grant(review, user)
    return grant


def _end_grant(
    review: DomesticHomicideReview, grant: AccessGrant, *, acting_user: User | None, action: str
) -> None:
    user = grant.user
    grant.delete()
    ReviewPolicy.revoke(review, user)
    # Their reminders name the review (reference and pseudonym): they go with the access.
    notifications_withdraw(user=user, item_key_prefix=f"dhr:{review.pk}:")
    audit_record(
        acting_user=acting_user,
        partnership=review.partnership,
        action=action,
        target=review,
        changes={"access": [f"{user.email} ({grant.get_reason_display()})", None]},
    )


def access_grant(
    *, acting_user: User, review: DomesticHomicideReview, user: User, reason: str
) -> AccessGrant:
    """Give someone of the partnership access. Only those who manage access to the review may,
    and never to a scrutiny member or a PCC office."""
    with transaction.atomic():
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.MANAGE_ACCESS, review)
        membership = Membership.objects.filter(user=user, partnership=review.partnership).first()
        if membership is None:
            raise ValidationError({"user": _("Choose someone who is a member of this partnership")})
        if not ReviewPolicy.can_hold_access(membership):
            raise ValidationError(
                {"user": _("Scrutiny members and PCC offices cannot be given access to a review")}
            )
        if review.access_grants.filter(user=user).exists():
            raise ValidationError({"user": _("This person already has access")})
        if reason not in AccessGrant.Reason.values or reason == AccessGrant.Reason.CREATOR:
            raise ValidationError({"reason": _("Select their role in the review")})
        grant = _grant(review, user, reason, granted_by=acting_user)
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.access_grant",
            target=review,
            changes={"access": [None, f"{user.email} ({grant.get_reason_display()})"]},
        )
    return grant


# Refusing to end the last grant that manages access (revoking it, or its holder leaving).
LAST_MANAGER_MESSAGE = gettext_lazy(
    "Nobody else could then manage access to this review. Give a named coordinator or the "
    "independent chair access first."
)


def access_revoke(*, acting_user: User, grant: AccessGrant) -> None:
    """Take someone's access away. Only those who manage access to the review may, and never
    the last of them: the review would be left with nobody to run it."""
    with transaction.atomic():
        review = locked(grant.review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.MANAGE_ACCESS, review)
        grant = review.access_grants.select_related("user").filter(pk=grant.pk).first()
        if grant is None:
            raise ValidationError(_("This person no longer has access."))
        if review.access_grants.count() == 1:
            raise ValidationError(_("Someone must keep access to the review."))
        if (
            grant.reason in MANAGING_REASONS
            and not ReviewPolicy.managers(review).exclude(pk=grant.pk).exists()
        ):
            raise ValidationError(LAST_MANAGER_MESSAGE)
        _end_grant(review, grant, acting_user=acting_user, action="review.access_revoke")


def review_settings_update(
    *, acting_user: User, partnership: Partnership, decision_maker: str, decision_maker_name: str
):
    """Who decides whether to review: the partnership, or (in Wales, under the single unified
    safeguarding review) the regional safeguarding board."""
    from ..models import DecisionMaker, ReviewSettings

    if decision_maker == DecisionMaker.REGIONAL_SAFEGUARDING_BOARD and not decision_maker_name:
        raise ValidationError({"decision_maker_name": _("Enter the name of the board")})
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=partnership.pk)
        ReviewPolicy.require_user(acting_user, partnership, V.RECORD)
        settings_row, _created = ReviewSettings.objects.select_for_update().get_or_create(
            partnership=partnership, defaults={"decision_maker": decision_maker}
        )
        before = settings_row.decision_maker
        settings_row.decision_maker = decision_maker
        settings_row.decision_maker_name = decision_maker_name.strip()
        settings_row.full_clean()
        settings_row.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="review.settings_update",
            target=settings_row,
            changes={"decision_maker": [before, decision_maker]},
        )
    return settings_row


def review_read(*, user: User, review: DomesticHomicideReview, what: str) -> None:
    """Log a read of the review, one of its documents or an export. Called by every view that
    shows review content, once it has found the review visible to ``user``."""
    AccessLogEntry.objects.create(review=review, user=user, user_label=user.email, what=what[:200])


def reviews_read(*, user: User, reviews: list[DomesticHomicideReview], what: str) -> None:
    """Log one read of each review of a list that shows them (their reference and pseudonym), in
    one insert however many there are."""
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(review=review, user=user, user_label=user.email, what=what[:200])
        for review in reviews
    )
