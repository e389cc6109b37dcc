"""Reporting progress on the plan in force: one quarter's narrative and status for an action, and
an actual for each of its measures. Progress is not plan content: it never changes the plan's
content revision, and it is reported on approved and published plans, never on drafts."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.concurrency import stale_edit_error
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked

from .. import deadlines
from ..models import ActionStatus, MeasureActual, PlanAction, ProgressUpdate, Quarter
from ..policies import ActionPolicy, ActionVerb


def action_progress_report(
    *,
    acting_user: User,
    action: PlanAction,
    quarter: Quarter,
    narrative: str,
    status: str,
    actuals: Mapping[int, Decimal | None] | None = None,
    comments: Mapping[int, str] | None = None,
    revision: int | None = None,
    today: date | None = None,
    submission: Submission | None = None,
) -> ProgressUpdate:
    """Record (or correct) the action's update for one quarter and the actuals of its measures
    for that quarter; the action takes the reported status. ``actuals`` maps measure ids to
    values; a measure left out, or given None, keeps whatever it had for the quarter. A measure
    bound to a series (``Measure.series``) takes no typed actual, only a comment on the imported
    one (``comments``, measure id to text).

    ``revision`` is the revision of the quarter's update the person was shown (0 when it had
    none): if someone has saved the quarter since, nothing changes and a "stale" error says who.
    None (the demo, internal callers) does not check."""
    today = today or deadlines.local_today()
    actuals = dict(actuals or {})
    comments = {pk: text.strip() for pk, text in (comments or {}).items()}
    with transaction.atomic():
        submission_claim(submission)
        # The action's row lock serialises reports on it, so the upserts below cannot race.
        action = locked(action, related=["plan", "plan__previous_version", "partnership"])
        ActionPolicy.require_user(
            acting_user, action.partnership, ActionVerb.REPORT_PROGRESS, action
        )
        errors = {}
        if quarter not in deadlines.reportable_quarters(plan=action.plan, today=today):
            errors["quarter"] = _(
                "Choose a quarter of this plan's period, up to and including the current quarter"
            )
        if status not in ActionStatus.values:
            errors["status"] = _("Select the action's status")
        narrative = narrative.strip()
        if not narrative:
            errors["narrative"] = _("Say what progress has been made this quarter")
        measures = {measure.pk: measure for measure in action.measures.all()}
        if set(actuals) - set(measures) or set(comments) - set(measures):
            errors["__all__"] = _("Give actuals only for this action's measures")
        else:
            typed = [
                measures[pk].name
                for pk, value in actuals.items()
                if value is not None and measures[pk].is_bound
            ]
            if typed:
                errors["__all__"] = _(
                    "%(measures)s is filled from imported figures and cannot be typed; add a "
                    "comment instead"
                ) % {"measures": ", ".join(typed)}
        if errors:
            raise ValidationError(errors)

        period = {"year_start": quarter.year_start, "quarter": quarter.number}
        update = ProgressUpdate.objects.filter(action=action, **period).first()
        if revision is not None and revision != (update.revision if update else 0):
            raise stale_edit_error(
                update.submitted_by if update else None,
                update.submitted_at if update else timezone.now(),
            )
        before = {"narrative": None, "status": action.status}
        if update is None:
            update = ProgressUpdate(action=action, **period)
        else:
            before["narrative"] = update.narrative
            update.revision += 1
        update.narrative, update.status, update.submitted_by = narrative, status, acting_user
        update.full_clean()
        update.save()

        changes = {
            "quarter": [None, str(quarter)],
            "status": [before["status"], status],
            "narrative": [before["narrative"], narrative],
        }
        recorded = {
            actual.measure_id: actual
            for actual in MeasureActual.objects.filter(measure__in=measures.keys(), **period)
        }
        for measure_id, comment in comments.items():
            actual = recorded.get(measure_id)
            if not measures[measure_id].is_bound or (actual is None and not comment):
                continue
            if actual is None:
                raise ValidationError(
                    {
                        "__all__": _(
                            "%(measure)s has no imported figure for this quarter yet to comment on"
                        )
                        % {"measure": measures[measure_id].name}
                    }
                )
            if actual.comment != comment:
                changes[f"comment.{measures[measure_id].name}"] = [actual.comment or None, comment]
                MeasureActual.objects.filter(pk=actual.pk).update(comment=comment)
        for measure_id, value in actuals.items():
            if value is None:
                continue
            actual = recorded.get(measure_id) or MeasureActual(measure_id=measure_id, **period)
            previous = actual.value if actual.pk else None
            if previous == value:
                continue
            actual.value, actual.recorded_by = value, acting_user
            actual.full_clean()
            actual.save()
            changes[f"actual.{measures[measure_id].name}"] = [previous, value]

        if action.status != status:
            # Only the status: the action's text, revision and "updated" stamp are plan content.
            PlanAction.objects.filter(pk=action.pk).update(status=status)
            action.status = status
        audit_record(
            acting_user=acting_user,
            partnership=action.partnership,
            action="plan.progress_report",
            target=action,
            changes=changes,
        )
    return update
