from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans.models import PartnershipPlan, PlanAction, PlanSectionKind, PlanStatus, SignOff
from plans.policies import ActionPolicy
from plans.selectors.versions import compare
from plans.services import approval, drafting
from tests.factories import OrganisationFactory, member, organisation_in

from .conftest import YEAR, add_action, approved_assessment, sign_off_by_every_seat

pytestmark = pytest.mark.django_db


def _membership(user, plan):
    return membership_for(user=user, partnership_slug=plan.partnership.slug)


def test_a_plan_starts_from_the_approved_assessment(draft_plan, assessment):
    assert (draft_plan.status, draft_plan.period_start, draft_plan.version) == ("draft", YEAR, 1)
    assert draft_plan.period_label == "2027 to 2030"
    assert list(draft_plan.priorities.values_list("theme", flat=True)) == list(
        assessment.priorities.values_list("theme", flat=True)
    )
    assert draft_plan.priorities.first().rationale == assessment.priorities.first().rationale
    # The Public Services Board's well-being plan is a section in Wales only.
    assert set(draft_plan.sections.values_list("kind", flat=True)) == set(
        PlanSectionKind.values
    ) - {PlanSectionKind.WELLBEING_PLAN}
    assert len(draft_plan.quarters) == 12
    assert str(draft_plan.quarters[0]) == "2027/28 Q1"


def test_a_plan_needs_an_approved_assessment(partnership, coordinator):
    from assessments.services.assessments import assessment_start

    draft = assessment_start(acting_user=coordinator, partnership=partnership, year_start=YEAR)
    with pytest.raises(ValidationError, match="approved strategic assessment"):
        drafting.plan_start(acting_user=coordinator, partnership=partnership, assessment=draft)
    assert not PartnershipPlan.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_date": date(YEAR - 1, 6, 1)}, "start_date", "within the plan period"),
        ({"due_date": date(YEAR + 3, 4, 1)}, "due_date", "within the plan period"),
        (
            {"start_date": date(YEAR + 1, 6, 1), "due_date": date(YEAR + 1, 5, 1)},
            "due_date",
            "same as or after the start date",
        ),
        ({"lead_organisation": "elsewhere"}, "lead_organisation", "sits on this partnership"),
        (
            {"supporting_organisations": "elsewhere"},
            "supporting_organisations",
            "sit on this partnership",
        ),
    ],
)
def test_bad_actions_are_refused_and_change_nothing(
    draft_plan, coordinator, change, field, message
):
    elsewhere = OrganisationFactory(name="Another Council")
    arguments = {
        "acting_user": coordinator,
        "priority": draft_plan.priorities.first(),
        "description": "Patrols",
        "lead_organisation": organisation_in(draft_plan.partnership, Seat.POLICE),
        "supporting_organisations": [],
        "start_date": date(YEAR, 4, 1),
        "due_date": date(YEAR + 1, 3, 31),
    }
    for name, value in change.items():
        if value == "elsewhere":
            value = elsewhere if name == "lead_organisation" else [elsewhere]
        arguments[name] = value
    revision = PartnershipPlan.objects.get().content_revision
    with pytest.raises(ValidationError) as error:
        drafting.plan_action_save(**arguments)
    assert message in " ".join(error.value.message_dict[field])
    assert not PlanAction.objects.exists()
    assert PartnershipPlan.objects.get().content_revision == revision


def test_the_lead_organisation_is_granted_progress_reporting(plan_with_action, police_officer):
    action = plan_with_action.actions.get()
    assert ActionPolicy.can_report(police_officer, action)
    council = organisation_in(plan_with_action.partnership, Seat.LOCAL_AUTHORITY)
    coordinator = plan_with_action.created_by
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=action.priority,
        action=action,
        revision=action.revision,
        description=action.description,
        lead_organisation=council,
        start_date=action.start_date,
        due_date=action.due_date,
    )
    # Moving the lead to the council takes the permission away from the police.
    assert not ActionPolicy.can_report(police_officer, action)


def test_a_stale_priority_edit_is_refused(draft_plan, coordinator, partnership):
    deputy = member(partnership, Role.COORDINATOR)
    priority = draft_plan.priorities.first()
    opened = priority.revision
    drafting.plan_priority_save(
        acting_user=deputy,
        plan=draft_plan,
        priority=priority,
        revision=opened,
        theme=priority.theme,
        rationale="The deputy's rationale",
    )
    with pytest.raises(ValidationError) as error:
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=draft_plan,
            priority=priority,
            revision=opened,
            theme=priority.theme,
            rationale="Mine",
        )
    assert error.value.code == "stale"
    priority.refresh_from_db()
    assert priority.rationale == "The deputy's rationale"


def test_pcc_priorities_of_another_force_are_refused(draft_plan, coordinator, pcc_priorities):
    from plans.models import PoliceAndCrimePlanPriority
    from tests.factories import PoliceForceAreaFactory

    foreign = PoliceAndCrimePlanPriority.objects.create(
        police_force_area=PoliceForceAreaFactory(), title="Elsewhere"
    )
    priority = draft_plan.priorities.first()
    with pytest.raises(ValidationError, match="this force area"):
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=draft_plan,
            priority=priority,
            theme=priority.theme,
            rationale=priority.rationale,
            pcc_priorities=[foreign],
        )
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=draft_plan,
        priority=priority,
        theme=priority.theme,
        rationale=priority.rationale,
        pcc_priorities=pcc_priorities[:2],
    )
    assert priority.pcc_priorities.count() == 2


def test_approval_needs_every_required_seat(plan_with_action, coordinator, signers):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    seats = list(signers)
    for seat in seats[:-1]:
        user = signers[seat]
        approval.plan_sign_off(
            acting_user=user, membership=_membership(user, plan_with_action), plan=plan_with_action
        )
        plan_with_action.refresh_from_db()
        assert plan_with_action.status == PlanStatus.CONSULTATION
    last = signers[seats[-1]]
    approval.plan_sign_off(
        acting_user=last, membership=_membership(last, plan_with_action), plan=plan_with_action
    )
    plan_with_action.refresh_from_db()
    assert plan_with_action.status == PlanStatus.APPROVED
    assert plan_with_action.approved_at is not None


def test_sign_off_refusals_change_nothing(plan_with_action, coordinator, signers, partnership):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    police = signers[Seat.POLICE]
    approval.plan_sign_off(
        acting_user=police, membership=_membership(police, plan_with_action), plan=plan_with_action
    )
    second_police = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    with pytest.raises(ValidationError, match="already signed"):
        approval.plan_sign_off(
            acting_user=second_police,
            membership=_membership(second_police, plan_with_action),
            plan=plan_with_action,
        )
    invited = OrganisationFactory(name="Housing Trust", kind="invited_partner")
    from partnerships.services import partner_organisation_add

    partner_organisation_add(
        acting_user=None, partnership=partnership, organisation=invited, seat=Seat.INVITED
    )
    outsider = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.INVITED)
    with pytest.raises(ValidationError, match="does not hold a seat"):
        approval.plan_sign_off(
            acting_user=outsider,
            membership=_membership(outsider, plan_with_action),
            plan=plan_with_action,
        )
    with pytest.raises(PermissionDenied):
        approval.plan_sign_off(
            acting_user=coordinator,
            membership=_membership(coordinator, plan_with_action),
            plan=plan_with_action,
        )
    assert list(SignOff.objects.values_list("seat", flat=True)) == [Seat.POLICE]


def test_a_partnership_sets_its_own_quorum(plan_with_action, coordinator, signers, partnership):
    approval.approval_rule_update(
        acting_user=coordinator, partnership=partnership, seats=[Seat.POLICE, Seat.LOCAL_AUTHORITY]
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    for seat in (Seat.POLICE, Seat.LOCAL_AUTHORITY):
        user = signers[seat]
        approval.plan_sign_off(
            acting_user=user, membership=_membership(user, plan_with_action), plan=plan_with_action
        )
    plan_with_action.refresh_from_db()
    assert plan_with_action.status == PlanStatus.APPROVED
    with pytest.raises(ValidationError, match="at least one statutory seat"):
        approval.approval_rule_update(
            acting_user=coordinator, partnership=partnership, seats=[Seat.INVITED]
        )


def test_returning_to_draft_clears_sign_offs(plan_with_action, coordinator, signers):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    police = signers[Seat.POLICE]
    approval.plan_sign_off(
        acting_user=police, membership=_membership(police, plan_with_action), plan=plan_with_action
    )
    approval.plan_return_to_draft(acting_user=coordinator, plan=plan_with_action)
    assert not SignOff.objects.exists()


def test_an_approved_plan_is_frozen(plan_with_action, coordinator, signers):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    sign_off_by_every_seat(plan_with_action, signers)
    section = plan_with_action.sections.get(kind=PlanSectionKind.SUMMARY)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        drafting.plan_section_update(
            acting_user=coordinator, section=section, revision=section.revision, body="Changed"
        )
    with pytest.raises(ValidationError, match="cannot be made draft"):
        approval.plan_return_to_draft(acting_user=coordinator, plan=plan_with_action)
    section.refresh_from_db()
    assert section.body == ""


def test_publishing_the_refresh_supersedes_the_published_plan(
    published_plan, coordinator, signers, partnership
):
    newer_assessment = approved_assessment(partnership, coordinator, year=YEAR + 1)
    refresh = drafting.plan_refresh(
        acting_user=coordinator, plan=published_plan, assessment=newer_assessment
    )
    assert (refresh.version, refresh.status, refresh.previous_version) == (
        2,
        "draft",
        published_plan,
    )
    assert refresh.actions.count() == published_plan.actions.count()
    police_officer = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    assert ActionPolicy.can_report(police_officer, refresh.actions.get())
    with pytest.raises(ValidationError, match="already been started"):
        drafting.plan_refresh(
            acting_user=coordinator, plan=published_plan, assessment=newer_assessment
        )

    summary = refresh.sections.get(kind=PlanSectionKind.SUMMARY)
    drafting.plan_section_update(
        acting_user=coordinator, section=summary, revision=summary.revision, body="Refreshed."
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=refresh)
    sign_off_by_every_seat(refresh, signers)
    approval.plan_publish(acting_user=coordinator, plan=refresh)

    published_plan.refresh_from_db()
    refresh.refresh_from_db()
    assert (published_plan.status, refresh.status) == ("superseded", "published")
    changes = {block.heading: block for block in compare(published_plan, refresh)}
    summary_lines = changes["Summary"].lines
    assert [(line.change, line.text) for line in summary_lines] == [("added", "Refreshed.")]
    assert AuditEvent.objects.filter(action="plan.supersede").count() == 1
    # The superseded version's grants to report ended with it; the one in force keeps its own.
    assert not ActionPolicy.can_report(police_officer, published_plan.actions.get())
    assert ActionPolicy.can_report(police_officer, refresh.actions.get())


def test_measures_record_baseline_and_target(plan_with_action):
    measure = plan_with_action.actions.get().measures.get()
    assert (measure.baseline, measure.target, measure.higher_is_better) == (
        Decimal(400),
        Decimal(320),
        False,
    )


def test_every_change_bumps_the_content_revision(draft_plan, coordinator):
    before = draft_plan.content_revision
    add_action(draft_plan, coordinator)
    draft_plan.refresh_from_db()
    assert draft_plan.content_revision == before + 2  # the action, then its measure
