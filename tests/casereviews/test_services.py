"""ASB case reviews through their services: the procedure's statutory limit, an application and
what the applicant is told, the threshold, the review, the appeal, and who may do each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from casereviews import services
from casereviews.deadlines import CaseReviewCycle
from casereviews.models import (
    CaseAccessGrant,
    CaseLetter,
    CaseReview,
    CaseStatus,
    ReviewProcedure,
)
from casereviews.selectors import yearly_figures
from partnerships.models import Membership, Role
from retention.selectors import KINDS
from tests.factories import member

from .builders import apply, concluded, decide, publish_procedure, review_held

S = CaseStatus


@pytest.fixture
def procedure(partnership, coordinator):
    return publish_procedure(partnership, coordinator)


def test_the_threshold_cannot_be_set_above_three_complaints(partnership, coordinator, procedure):
    with pytest.raises(ValidationError) as refused:
        publish_procedure(partnership, coordinator, threshold_complaints=4)
    assert "threshold_complaints" in refused.value.message_dict
    procedure.refresh_from_db()
    assert procedure.threshold_complaints == 3


def test_only_a_coordinator_keeps_the_procedure(partnership, procedure):
    strategy = member(partnership, Role.STRATEGY_MEMBER)
    with pytest.raises(PermissionDenied):
        publish_procedure(partnership, strategy, threshold_complaints=1)
    procedure.refresh_from_db()
    assert procedure.threshold_complaints == 3


def test_an_application_gets_a_reference_and_an_acknowledgement_by_email(
    partnership, coordinator, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = apply(partnership)
    assert case.reference == f"ASB-{timezone.now().year}-0001"
    assert apply(partnership).reference.endswith("-0002")
    (message,) = [m for m in mail.outbox if case.reference in m.subject]
    assert message.to == ["sam@example.org"]
    assert message.reply_to == ["asb@example.org"]
    assert "Dear Sam O'Neill" in message.body
    assert "within 14 days" in message.body
    assert case.letters.get().sent_at is not None
    # Passed to the partnership's coordinator, who alone may read it.
    assert list(case.access_grants.values_list("user", flat=True)) == [coordinator.pk]
    # The audit log names the case by its reference, never the applicant.
    event = AuditEvent.objects.get(action="case_review.apply", object_id=str(case.pk))
    assert "Sam" not in str(event.changes) and event.object_repr == case.reference


def test_the_same_form_sent_twice_makes_one_application(partnership, procedure):
    case = apply(partnership)
    with pytest.raises(services.AlreadyApplied) as again:
        services.application_submit(
            partnership=partnership, token=case.submission_token, details={}, source=""
        )
    assert again.value.case == case
    assert CaseReview.objects.count() == 1


def test_applications_from_one_address_are_limited_per_hour(partnership, procedure, settings):
    settings.CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR = 2
    source = services.source_hash("203.0.113.9")
    apply(partnership, source=source)
    apply(partnership, source=source)
    with pytest.raises(ValidationError):
        apply(partnership, source=source)
    apply(partnership, source=services.source_hash("203.0.113.10"))
    # An hour later the address may apply again.
    apply(partnership, source=source, now=timezone.now() + timedelta(hours=1, minutes=1))
    assert CaseReview.objects.count() == 4


def test_no_application_without_a_published_procedure(partnership):
    with pytest.raises(ReviewProcedure.DoesNotExist):
        apply(partnership)
    assert CaseReview.objects.count() == 0


def test_the_applicant_is_told_the_threshold_decision_with_reasons(
    partnership, coordinator, procedure, django_capture_on_commit_callbacks
):
    case = apply(partnership)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, coordinator, met=False, reasons="Only one report was made in six months.")
    case.refresh_from_db()
    assert (case.status, case.threshold_met) == (S.THRESHOLD_NOT_MET, False)
    (message,) = mail.outbox
    assert "is not met" in message.body
    assert "Only one report was made in six months." in message.body
    assert "The chair of the partnership will review the appeal" in message.body
    assert case.letters.get(kind="threshold").body == message.body


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.SCRUTINY, Role.PCC_OFFICE])
def test_without_a_grant_nobody_decides_and_nothing_changes(partnership, procedure, role):
    case = apply(partnership)
    outsider = member(partnership, role)
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        decide(case, outsider)
    case.refresh_from_db()
    assert case.status == S.RECEIVED and case.threshold_met is None
    assert CaseLetter.objects.filter(kind="threshold").count() == 0
    assert mail.outbox == []


def test_a_scrutiny_member_cannot_be_given_a_case(partnership, coordinator, procedure):
    from partnerships.models import Membership

    case = apply(partnership)
    councillor = member(partnership, Role.SCRUTINY)
    with pytest.raises(ValidationError):
        services.access_grant(
            acting_user=coordinator,
            case=case,
            membership=Membership.objects.get(user=councillor),
            reason="agency",
        )
    assert not CaseAccessGrant.objects.filter(user=councillor).exists()


def test_the_outcome_lists_the_recommendations_and_the_appeal_is_decided(
    partnership, coordinator, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = concluded(partnership, coordinator)
    outcome = mail.outbox[-1]
    assert "the outcome" in outcome.subject
    assert "Reports were closed without a visit." in outcome.body
    assert "- Joint visit 1 (Trafford Police" in outcome.body

    services.appeal_record(
        acting_user=coordinator,
        case=case,
        received_on=timezone.localdate(),
        grounds="Nobody spoke to my neighbours.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(
            acting_user=coordinator, case=case, upheld=True, reasons="A second meeting is held."
        )
    case.refresh_from_db()
    assert (case.status, case.appeal_upheld) == (S.APPEAL_DECIDED, True)
    assert "Your appeal is upheld." in mail.outbox[-1].body
    assert case.letters.count() == 4


def test_an_appeal_after_the_procedures_window_is_refused(partnership, coordinator, procedure):
    case = apply(partnership)
    decide(case, coordinator, met=False)
    late = timezone.localdate() + timedelta(days=21)
    CaseReview.objects.filter(pk=case.pk).update(
        threshold_decided_at=timezone.now() - timedelta(days=21)
    )
    with pytest.raises(ValidationError) as refused:
        services.appeal_record(
            acting_user=coordinator, case=case, received_on=timezone.localdate(), grounds="G"
        )
    assert "came too late" in str(refused.value)
    case.refresh_from_db()
    assert case.status == S.THRESHOLD_NOT_MET and late


def test_the_outcome_waits_for_the_review_meeting(partnership, coordinator, procedure):
    case = apply(partnership)
    decide(case, coordinator)
    with pytest.raises(ValidationError):
        services.case_conclude(acting_user=coordinator, case=case)
    case.refresh_from_db()
    assert case.status == S.UNDER_REVIEW


def test_deadlines_reach_those_running_the_case_by_reference_only(
    partnership, coordinator, procedure
):
    waiting = apply(partnership)
    reviewed = apply(partnership)
    decide(reviewed, coordinator)
    review_held(reviewed, coordinator)
    items = {item.title: item for item in CaseReviewCycle().due(today=timezone.localdate())}
    decision = items[f"ASB case review {waiting.reference}: decide the threshold"]
    assert decision.due_on == timezone.localdate(waiting.received_at) + timedelta(days=14)
    assert decision.recipients == {coordinator.pk}
    assert f"ASB case review {reviewed.reference}: a recommendation falls due" in items
    assert not any("Sam" in title for title in items)


def test_the_yearly_figures_are_counted_by_financial_year(partnership, coordinator, procedure):
    concluded(partnership, coordinator)
    decide(apply(partnership), coordinator, met=False)
    apply(partnership)
    last_year = timezone.now().replace(month=3, day=1) - timedelta(days=366)
    apply(partnership, now=last_year)
    rows = {row["year_start"]: row for row in yearly_figures(partnership=partnership)}
    now = timezone.localdate()
    this_year = now.year if now.month >= 4 else now.year - 1
    assert rows[this_year] == {
        "year_start": this_year,
        "applications": 3,
        "met": 1,
        "not_met": 1,
        "reviews": 1,
        "with_recommendations": 1,
    }
    assert rows[last_year.year - 1]["applications"] == 1


def test_a_finished_case_goes_after_the_retention_period(partnership, coordinator, procedure):
    old = concluded(partnership, coordinator)
    apply(partnership)  # still open: kept however old
    CaseReview.objects.update(status_changed_at=timezone.now() - timedelta(days=7 * 365))
    due = KINDS["case_reviews"].due(now=timezone.now(), partnership=partnership)
    assert list(due) == [old]


def test_grants_end_with_the_membership_and_no_case_is_left_unrun(
    partnership, coordinator, procedure
):
    from partnerships.services import membership_remove, membership_update

    case = apply(partnership)
    officer = member(partnership, Role.CONTRIBUTOR)
    CaseAccessGrant.objects.create(case=case, user=officer, reason="agency")
    officer_membership = Membership.objects.get(user=officer)
    membership_update(
        acting_user=coordinator,
        membership=officer_membership,
        role=Role.SCRUTINY,
        organisation=officer_membership.organisation,
    )
    assert not CaseAccessGrant.objects.filter(user=officer).exists()

    # The only person running the case leaves: the coordinators there now take it on.
    colleague = member(partnership, Role.COORDINATOR)
    membership_remove(acting_user=colleague, membership=Membership.objects.get(user=coordinator))
    assert list(case.access_grants.values_list("user", "reason")) == [(colleague.pk, "coordinator")]
    assert AuditEvent.objects.filter(action="case_review.access_end").count() == 2
