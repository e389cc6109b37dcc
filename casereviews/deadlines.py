"""What falls due in ASB case reviews, for the reminders: the threshold decision, telling the
applicant the outcome, the appeal decision (each by the partnership's procedure), and each open
recommendation by its due date. Due from the people running that case and nobody else; an item
names the case by its reference only."""

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .models import CaseRecommendation, CaseReview, CaseStatus
from .policies import HOLDING_ROLES, case_runner_ids

S = CaseStatus
# The steps that run on the procedure's clocks (the rest wait for nobody, or for the applicant).
CLOCK_STATUSES = (S.RECEIVED, S.UNDER_REVIEW, S.APPEALED)


def _url(case: CaseReview) -> str:
    return reverse(
        "casereviews:detail",
        kwargs={"partnership_slug": case.partnership.slug, "case_id": case.pk},
    )


def _clock(case: CaseReview) -> tuple[str, date] | None:
    """The step the case waits for, and when the procedure says it is due."""
    procedure = case.partnership.case_review_procedure
    if case.status == S.RECEIVED:
        days, since, label = procedure.decision_days, case.received_at, _("decide the threshold")
    elif case.status == S.UNDER_REVIEW:
        since, days = case.threshold_decided_at, procedure.review_days
        label = _("tell the applicant the outcome")
    elif case.status == S.APPEALED:
        return (
            gettext("decide the appeal"),
            case.appeal_received_on + timedelta(days=procedure.appeal_decision_days),
        )
    else:
        return None
    return str(label), timezone.localdate(since) + timedelta(days=days)


@register
class CaseReviewCycle(Cycle):
    kind = "asb_case_review"
    label = _("ASB case review")
    owing_roles = HOLDING_ROLES
    need_to_know = True
    year_order = 85

    def due(
        self, *, today: date, partnership_ids: Collection[int] | None = None
    ) -> Iterable[DueItem]:
        # One query while no case is open (two more when any is: the recommendations and the
        # people running the cases).
        open_recommendations = CaseRecommendation.objects.filter(completed_on__isnull=True)
        cases = (
            CaseReview.objects.filter(
                Q(status__in=CLOCK_STATUSES)
                | Exists(open_recommendations.filter(case=OuterRef("pk")))
            )
            .select_related("partnership__case_review_procedure")
            .prefetch_related(
                Prefetch("recommendations", open_recommendations, to_attr="open_recommendations")
            )
        )
        if partnership_ids is not None:
            cases = cases.filter(partnership_id__in=partnership_ids)
        cases = list(cases)
        if not cases:
            return
        runners = case_runner_ids(case.pk for case in cases)
        for case in cases:
            if clock := _clock(case):
                label, due_on = clock
                yield DueItem(
                    kind=self.kind,
                    key=f"asb:{case.pk}:{case.status}",
                    partnership_id=case.partnership_id,
                    partnership_name=case.partnership.name,
                    due_on=due_on,
                    title=gettext("ASB case review %(reference)s: %(step)s")
                    % {"reference": case.reference, "step": label},
                    url=_url(case),
                    recipients=frozenset(runners[case.pk]),
                )
            for row in case.open_recommendations:
                yield DueItem(
                    kind=self.kind,
                    key=f"asb:recommendation:{row.pk}",
                    partnership_id=case.partnership_id,
                    partnership_name=case.partnership.name,
                    due_on=row.due_date,
                    title=gettext("ASB case review %(reference)s: a recommendation falls due")
                    % {"reference": case.reference},
                    url=_url(case),
                    recipients=frozenset(runners[case.pk]),
                )
