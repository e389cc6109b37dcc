from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.selectors import user_requires_two_factor
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reviews.clocks import review_clocks
from reviews.models import AccessGrant, Decision, DomesticHomicideReview, ReviewStatus
from reviews.policies import ReviewPolicy
from reviews.services import lifecycle, quality_assurance
from tests.factories import member, organisation_in

from .builders import chair_of
from .conftest import NOTIFIED, advance_to_commissioned, notify

pytestmark = pytest.mark.django_db
S = ReviewStatus


def test_a_notification_gets_a_reference_and_only_its_recorder_has_access(
    review, coordinator, partnership
):
    assert review.reference == "DHR-TRAFFORD-2026-01"
    assert str(review) == "DHR-TRAFFORD-2026-01 (Adult A)"
    assert review.death_month == date(2026, 2, 1)
    assert ReviewPolicy.has_access(coordinator, review)
    other_coordinator = member(partnership, Role.COORDINATOR)
    assert not ReviewPolicy.has_access(other_coordinator, review)
    assert notify(partnership, coordinator, "Adult C").reference == "DHR-TRAFFORD-2026-02"
    event = AuditEvent.objects.filter(action="review.notify").order_by("pk").first()
    assert event.object_repr == "DHR-TRAFFORD-2026-01 (Adult A)"


def test_dates_out_of_order_are_refused(partnership, coordinator):
    with pytest.raises(ValidationError) as error:
        lifecycle.review_notify(
            acting_user=coordinator,
            partnership=partnership,
            victim_pseudonym="Adult A",
            death_month=date(2026, 5, 1),
            notified_on=date(2026, 4, 1),
            notified_by=organisation_in(partnership, Seat.POLICE),
            aged_16_or_over=True,
        )
    assert "before the notification" in error.value.message_dict["death_month"][0]
    assert not DomesticHomicideReview.objects.exists()


def test_a_decision_before_the_notification_is_refused(review, coordinator):
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.UNDER_CONSIDERATION)
    with pytest.raises(ValidationError) as error:
        lifecycle.review_advance(
            acting_user=coordinator,
            review=review,
            to=S.DECIDED,
            decision=Decision.REVIEW,
            decision_reasons="Criteria met",
            decided_on=NOTIFIED - timedelta(days=1),
        )
    assert "before the notification" in error.value.message_dict["decided_on"][0]
    review.refresh_from_db()
    assert (review.status, review.decision) == (S.UNDER_CONSIDERATION, "")


def test_steps_out_of_order_are_refused(review, coordinator):
    with pytest.raises(ValidationError, match="cannot move to commissioned"):
        lifecycle.review_advance(acting_user=coordinator, review=review, to=S.COMMISSIONED)
    review.refresh_from_db()
    assert review.status == S.NOTIFIED


def test_the_whole_process_to_closure(review, coordinator):
    advance_to_commissioned(review, coordinator)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SCOPING, terms_of_reference="Scope: 2 years"
    )
    for status in (S.EVIDENCE_GATHERING, S.DRAFTING, S.PANEL_APPROVED, S.PARTNERSHIP_APPROVED):
        lifecycle.review_advance(acting_user=coordinator, review=review, to=status)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SUBMITTED, submitted_on=date(2026, 9, 1)
    )
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.RETURNED)
    chair = chair_of(review, coordinator)
    item = quality_assurance.qa_feedback_record(
        acting_user=coordinator, review=review, text="Anonymise paragraph 4."
    )
    quality_assurance.qa_feedback_answer(acting_user=chair, item=item, answer="Done.")
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SUBMITTED, submitted_on=date(2026, 10, 1)
    )
    for status in (S.HOME_OFFICE_APPROVED,):
        lifecycle.review_advance(acting_user=coordinator, review=review, to=status)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.PUBLISHED, published_on=date(2026, 11, 1)
    )
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.MONITORING)
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.CLOSED)
    review.refresh_from_db()
    assert review.status == S.CLOSED
    assert AuditEvent.objects.filter(action="review.advance").count() == 16


def test_a_no_review_decision_is_closed_and_reopened_when_the_home_office_directs(
    review, coordinator
):
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.UNDER_CONSIDERATION)
    lifecycle.review_advance(
        acting_user=coordinator,
        review=review,
        to=S.DECIDED,
        decision=Decision.NO_REVIEW,
        decision_reasons="Criteria not met",
        decided_on=date(2026, 3, 20),
    )
    lifecycle.review_advance(
        acting_user=coordinator,
        review=review,
        to=S.HOME_OFFICE_NOTIFIED,
        home_office_notified_on=date(2026, 3, 21),
    )
    with pytest.raises(ValidationError, match="Only a decision to review can be commissioned"):
        lifecycle.review_advance(
            acting_user=coordinator,
            review=review,
            to=S.COMMISSIONED,
            chair_name="X",
            chair_independence="Y",
            chair_appointed_on=date(2026, 4, 1),
        )
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.CLOSED)
    lifecycle.review_advance(
        acting_user=coordinator,
        review=review,
        to=S.DECIDED,
        decision_reasons="The Home Office directed a review",
        decided_on=date(2026, 5, 1),
    )
    review.refresh_from_db()
    assert (review.status, review.decision, review.directed_by_home_office) == (
        S.DECIDED,
        Decision.REVIEW,
        True,
    )
    assert review.home_office_notified_on is None


def test_the_decision_clock_and_its_deadline(review):
    (decision,) = review_clocks(review, today=date(2026, 4, 10))
    assert decision.due_on == date(2026, 4, 2)
    assert decision.done_on is None


def test_the_completion_clock_pauses_while_on_hold(review, coordinator):
    advance_to_commissioned(review, coordinator)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SCOPING, terms_of_reference="Scope"
    )
    completion = review_clocks(review, today=date(2026, 5, 1))[-1]
    assert completion.due_on == date(2026, 9, 20)  # six months after the decision
    lifecycle.review_hold(
        acting_user=coordinator,
        review=review,
        reason="Criminal trial",
        started_on=date(2026, 5, 1),
        expected_restart=date(2026, 8, 1),
    )
    review.refresh_from_db()
    during = review_clocks(review, today=date(2026, 5, 31))[-1]
    assert during.paused and not during.is_overdue
    assert during.due_on == date(2026, 9, 20) + timedelta(days=30)
    lifecycle.review_resume(acting_user=coordinator, review=review, ended_on=date(2026, 6, 10))
    review.refresh_from_db()
    after = review_clocks(review, today=date(2026, 7, 1))[-1]
    assert review.status == S.SCOPING  # resumed where it was held
    assert (after.paused, after.days_on_hold, after.due_on) == (
        False,
        40,
        date(2026, 9, 20) + timedelta(days=40),
    )


def test_a_hold_needs_a_reason_and_a_sensible_date(review, coordinator):
    advance_to_commissioned(review, coordinator)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SCOPING, terms_of_reference="Scope"
    )
    with pytest.raises(ValidationError) as error:
        lifecycle.review_hold(
            acting_user=coordinator, review=review, reason=" ", started_on=NOTIFIED - timedelta(1)
        )
    assert set(error.value.message_dict) == {"reason", "started_on"}
    review.refresh_from_db()
    assert review.status == S.SCOPING and not review.holds.exists()


def test_access_is_granted_by_holders_only_and_never_to_scrutiny_or_pcc(
    review, coordinator, partnership, panel_member
):
    outsider = member(partnership, Role.COORDINATOR)
    newcomer = member(partnership, Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        lifecycle.access_grant(
            acting_user=outsider, review=review, user=newcomer, reason=AccessGrant.Reason.PANEL
        )
    for role in (Role.SCRUTINY, Role.PCC_OFFICE):
        with pytest.raises(ValidationError, match="cannot be given access"):
            lifecycle.access_grant(
                acting_user=coordinator,
                review=review,
                user=member(partnership, role),
                reason=AccessGrant.Reason.PANEL,
            )
    from tests.factories import PartnershipFactory

    stranger = member(PartnershipFactory(), Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="member of this partnership"):
        lifecycle.access_grant(
            acting_user=coordinator, review=review, user=stranger, reason=AccessGrant.Reason.PANEL
        )
    assert set(review.access_grants.values_list("user__email", flat=True)) == {
        coordinator.email,
        panel_member.email,
    }
    # A panel member reads the review but does not decide who else does; the chair does.
    with pytest.raises(PermissionDenied):
        lifecycle.access_grant(
            acting_user=panel_member, review=review, user=newcomer, reason=AccessGrant.Reason.PANEL
        )
    assert not ReviewPolicy.has_access(newcomer, review)
    chair = member(partnership, Role.CONTRIBUTOR)
    lifecycle.access_grant(
        acting_user=coordinator, review=review, user=chair, reason=AccessGrant.Reason.CHAIR
    )
    lifecycle.access_grant(
        acting_user=chair, review=review, user=newcomer, reason=AccessGrant.Reason.PANEL
    )
    assert ReviewPolicy.has_access(newcomer, review)


def test_revoking_takes_access_away_and_is_audited(review, coordinator, panel_member):
    grant = review.access_grants.get(user=panel_member)
    lifecycle.access_revoke(acting_user=coordinator, grant=grant)
    assert not ReviewPolicy.has_access(panel_member, review)
    assert AuditEvent.objects.filter(action="review.access_revoke").count() == 1


def test_a_grant_to_someone_who_later_becomes_scrutiny_stops_working(
    review, coordinator, partnership, panel_member
):
    from partnerships.selectors import membership_for
    from partnerships.services import membership_update

    membership_update(
        acting_user=coordinator,
        membership=membership_for(user=panel_member, partnership_slug=partnership.slug),
        role=Role.SCRUTINY,
        organisation=organisation_in(partnership, Seat.HEALTH),
    )
    assert not ReviewPolicy.has_access(panel_member, review)


def test_anyone_with_access_must_use_two_factor(review, partnership, coordinator):
    contributor = member(partnership, Role.CONTRIBUTOR)
    assert not user_requires_two_factor(contributor)
    lifecycle.access_grant(
        acting_user=coordinator, review=review, user=contributor, reason=AccessGrant.Reason.PANEL
    )
    assert user_requires_two_factor(contributor)


def test_wales_defaults_to_the_regional_safeguarding_board(partnership, coordinator):
    from authorities.models import Nation
    from reviews.selectors import decision_maker
    from tests.factories import PartnershipFactory

    welsh = PartnershipFactory(name="Cwm Taf", slug="cwm-taf", nation=Nation.WALES)
    assert "regional safeguarding board" in decision_maker(partnership=welsh)
    assert decision_maker(partnership=partnership) == "The Community Safety Partnership"
    with pytest.raises(ValidationError, match="name of the board"):
        lifecycle.review_settings_update(
            acting_user=coordinator,
            partnership=partnership,
            decision_maker="regional_safeguarding_board",
            decision_maker_name="",
        )
    lifecycle.review_settings_update(
        acting_user=coordinator,
        partnership=partnership,
        decision_maker="regional_safeguarding_board",
        decision_maker_name="Greater Manchester Safeguarding Board",
    )
    assert decision_maker(partnership=partnership) == "Greater Manchester Safeguarding Board"
