import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import selectors
from assessments.models import (
    AssessmentStatus,
    ContributionRequest,
    ContributionStatus,
    SectionKind,
    StrategicAssessment,
)
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from partnerships.services import membership_update
from tests.factories import OrganisationFactory, PartnershipFactory, member, organisation_in

from .conftest import YEAR, complete, due_in, send_request

pytestmark = pytest.mark.django_db


def _membership(user, partnership):
    return membership_for(user=user, partnership_slug=partnership.slug)


def test_a_new_assessment_has_every_statutory_section(draft):
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.year_label == "2027/28"
    assert sorted(draft.sections.values_list("kind", flat=True)) == sorted(SectionKind.values)
    assert AuditEvent.objects.filter(action="assessment.start", object_id=str(draft.pk)).exists()


def test_only_one_assessment_per_year(draft, coordinator, partnership):
    with pytest.raises(ValidationError) as error:
        assessment_services.assessment_start(
            acting_user=coordinator, partnership=partnership, year_start=YEAR
        )
    assert "already a strategic assessment for 2027/28" in str(error.value)
    assert StrategicAssessment.objects.count() == 1


def test_the_statutory_order_of_statuses(
    open_assessment, coordinator, strategy_member, partnership
):
    with pytest.raises(ValidationError, match="cannot be made approved"):
        assessment_services.assessment_approve(
            acting_user=strategy_member,
            assessment=open_assessment,
        )
    open_assessment.refresh_from_db()
    assert open_assessment.status == AssessmentStatus.CONTRIBUTIONS_OPEN


def test_review_needs_every_section_and_a_priority(open_assessment, coordinator):
    with pytest.raises(ValidationError) as error:
        assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=open_assessment
        )
    messages = error.value.messages
    assert "Levels and patterns of crime, disorder and substance misuse has no text yet" in messages
    assert "Recommend at least one priority" in messages
    open_assessment.refresh_from_db()
    assert open_assessment.status == AssessmentStatus.CONTRIBUTIONS_OPEN


def test_the_community_section_needs_the_public_meeting(open_assessment, coordinator):
    complete(open_assessment, coordinator)
    community = open_assessment.sections.get(kind=SectionKind.COMMUNITY)
    assessment_services.assessment_section_update(
        acting_user=coordinator, section=community, revision=community.revision, body="Survey."
    )
    assert assessment_services.missing_for_approval(open_assessment) == [
        "What the community said needs the date of the annual public meeting"
    ]


def test_approval_freezes_the_version_with_its_sign_off(approved, strategy_member, coordinator):
    assert approved.status == AssessmentStatus.APPROVED
    assert approved.approved_by_name == strategy_member.full_name
    assert approved.approved_by_role == "Strategy group member"
    assert approved.approved_by_organisation.endswith("Police")
    section = approved.sections.get(kind=SectionKind.CHANGES)
    with pytest.raises(ValidationError, match="Start a new version"):
        assessment_services.assessment_section_update(
            acting_user=coordinator, section=section, revision=section.revision, body="Changed"
        )
    section.refresh_from_db()
    assert section.body == "What we found about Changes since the last assessment."


def test_only_a_strategy_group_member_approves(open_assessment, coordinator, partnership):
    complete(open_assessment, coordinator)
    assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=open_assessment
    )
    with pytest.raises(PermissionDenied):
        assessment_services.assessment_approve(
            acting_user=coordinator,
            assessment=open_assessment,
        )
    open_assessment.refresh_from_db()
    assert open_assessment.status == AssessmentStatus.IN_REVIEW
    assert open_assessment.approved_at is None


def test_returning_needs_a_comment_and_reopens(open_assessment, coordinator, strategy_member):
    complete(open_assessment, coordinator)
    assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=open_assessment
    )
    with pytest.raises(ValidationError):
        assessment_services.assessment_return(
            acting_user=strategy_member, assessment=open_assessment, comment="  "
        )
    assessment_services.assessment_return(
        acting_user=strategy_member, assessment=open_assessment, comment="Add the ASB figures"
    )
    open_assessment.refresh_from_db()
    assert open_assessment.status == AssessmentStatus.CONTRIBUTIONS_OPEN
    assert open_assessment.review_comment == "Add the ASB figures"


def test_a_new_version_copies_the_approved_one(approved, coordinator):
    newer = assessment_services.assessment_new_version(acting_user=coordinator, assessment=approved)
    assert (newer.version, newer.status, newer.previous_version) == (2, "draft", approved)
    assert newer.sections.get(kind=SectionKind.COMMUNITY).public_meeting_attendance == 62
    assert list(newer.priorities.values_list("theme", flat=True)) == ["vawdasv"]
    with pytest.raises(ValidationError, match="already been started"):
        assessment_services.assessment_new_version(acting_user=coordinator, assessment=approved)
    assert StrategicAssessment.objects.count() == 2


def test_a_stale_edit_is_refused_and_the_other_change_kept(draft, coordinator, partnership):
    other = member(partnership, Role.COORDINATOR, email="deputy@example.org")
    section = draft.sections.get(kind=SectionKind.CHANGES)
    opened_at = section.revision
    assessment_services.assessment_section_update(
        acting_user=other, section=section, revision=opened_at, body="Deputy's text"
    )
    with pytest.raises(ValidationError) as error:
        assessment_services.assessment_section_update(
            acting_user=coordinator, section=section, revision=opened_at, body="My text"
        )
    assert error.value.code == "stale"
    assert other.full_name in error.value.messages[0]
    section.refresh_from_db()
    assert section.body == "Deputy's text"


def test_requests_go_to_each_organisation_and_email_its_people(
    open_assessment,
    coordinator,
    partnership,
    police_officer,
    council_officer,
    scrutiny_member,
    django_capture_on_commit_callbacks,
):
    police, council = organisation_in(partnership, Seat.POLICE), organisation_in(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        sent = contribution_services.contribution_requests_send(
            acting_user=coordinator,
            assessment=open_assessment,
            organisations=[police, council],
            title="ASB and domestic abuse",
            questions="What changed?",
            data_requested="",
            due_date=due_in(21),
            link="https://csp.example/my-requests/",
        )
    assert {request.organisation for request in sent} == {police, council}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # The council's coordinator and contributor are told; its scrutiny councillor is not.
    assert recipients == sorted(
        ["analyst@example.org", "asb@example.org", "coordinator@example.org"]
    )
    assert "https://csp.example/my-requests/" in mail.outbox[0].body
    # A second run of the task sends nothing more.
    for request in sent:
        assert (
            contribution_services.contribution_request_notify(contribution_id=request.pk, link="x")
            == 0
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_date": due_in(-1)}, "today or in the future"),
        ({"organisations": []}, "Select at least one organisation"),
    ],
)
def test_bad_requests_change_nothing(open_assessment, coordinator, police, change, message):
    arguments = {
        "acting_user": coordinator,
        "assessment": open_assessment,
        "organisations": [police],
        "title": "T",
        "questions": "Q",
        "data_requested": "",
        "due_date": due_in(5),
        **change,
    }
    with pytest.raises(ValidationError, match=message):
        contribution_services.contribution_requests_send(**arguments)
    assert ContributionRequest.objects.count() == 0
    assert not mail.outbox


def test_requests_only_to_organisations_on_the_partnership(open_assessment, coordinator):
    elsewhere = OrganisationFactory(name="Another Council")
    with pytest.raises(ValidationError, match="sit on this partnership"):
        send_request(open_assessment, coordinator, elsewhere)
    assert ContributionRequest.objects.count() == 0


def test_requests_wait_for_the_assessment_to_open(draft, coordinator, police):
    with pytest.raises(ValidationError, match="Open the assessment"):
        send_request(draft, coordinator, police)
    assert ContributionRequest.objects.count() == 0


def test_only_the_organisations_people_may_answer(
    police_request, police_officer, council_officer, scrutiny_member, coordinator, partnership
):
    police_scrutiny = member(partnership, Role.SCRUTINY, seat=Seat.POLICE)
    # The same force's officer serving another partnership is in the force's group, but not here.
    elsewhere = PartnershipFactory(name="Salford", slug="salford")
    from partnerships.models import PartnerOrganisation

    PartnerOrganisation.objects.create(
        partnership=elsewhere, organisation=police_request.organisation, seat=Seat.INVITED
    )
    colleague = member(elsewhere, Role.CONTRIBUTOR, seat=Seat.INVITED)

    assert selectors.can_answer(user=police_officer, contribution=police_request)
    for user in (council_officer, scrutiny_member, coordinator, police_scrutiny, colleague):
        assert not selectors.can_answer(user=user, contribution=police_request), user
        with pytest.raises(PermissionDenied):
            contribution_services.contribution_save(
                acting_user=user,
                contribution=police_request,
                revision=police_request.revision,
                answer="Not mine to give",
                figures=[],
            )
    police_request.refresh_from_db()
    assert (police_request.answer, police_request.status) == ("", ContributionStatus.REQUESTED)


def test_a_person_who_leaves_the_organisation_can_no_longer_answer(
    police_request, police_officer, partnership, coordinator
):
    membership = _membership(police_officer, partnership)
    membership_update(
        acting_user=coordinator,
        membership=membership,
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership),
    )
    assert not selectors.can_answer(user=police_officer, contribution=police_request)


def test_draft_submit_return_and_accept(police_request, police_officer, coordinator):
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=police_request,
        revision=police_request.revision,
        answer="Incidents rose by 12%.",
        figures=[("Domestic abuse incidents", 4120, "incidents")],
    )
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.IN_PROGRESS
    contribution_services.contribution_submit(
        acting_user=police_officer, contribution=police_request
    )
    contribution_services.contribution_return(
        acting_user=coordinator, contribution=police_request, comment="Split by ward, please"
    )
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.RETURNED
    assert selectors.can_answer(user=police_officer, contribution=police_request)
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=police_request,
        revision=police_request.revision,
        answer="Incidents rose by 12%, most in two wards.",
        figures=[("Domestic abuse incidents", 4120, "incidents"), ("Wards above average", 2, "")],
    )
    contribution_services.contribution_submit(
        acting_user=police_officer, contribution=police_request
    )
    contribution_services.contribution_accept(acting_user=coordinator, contribution=police_request)
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.ACCEPTED
    assert [figure.label for figure in police_request.figures.all()] == [
        "Domestic abuse incidents",
        "Wards above average",
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(police_request.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "contribution.request",
        "contribution.save",
        "contribution.submit",
        "contribution.return",
        "contribution.save",
        "contribution.submit",
        "contribution.accept",
    ]


def test_an_empty_answer_cannot_be_submitted(police_request, police_officer):
    with pytest.raises(ValidationError, match="Write an answer"):
        contribution_services.contribution_submit(
            acting_user=police_officer, contribution=police_request
        )
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.REQUESTED


def test_nothing_can_be_submitted_after_approval(
    police_request, police_officer, approved, coordinator
):
    with pytest.raises(ValidationError, match="has been approved"):
        contribution_services.contribution_save(
            acting_user=police_officer,
            contribution=police_request,
            revision=police_request.revision,
            answer="Late answer",
            figures=[],
        )
    police_request.refresh_from_db()
    assert police_request.answer == ""


def test_late_requests_are_those_awaiting_an_answer_past_due(
    open_assessment, coordinator, police, partnership, police_officer
):
    late = send_request(open_assessment, coordinator, police, days=3, title="Late one")
    send_request(open_assessment, coordinator, organisation_in(partnership), days=3, title="Due")
    ContributionRequest.objects.filter(pk=late.pk).update(due_date=due_in(-2))
    summary = selectors.contribution_summary(list(ContributionRequest.objects.all()))
    assert (summary.total, summary.late, summary.awaiting) == (2, 1, 2)
    assert list(ContributionRequest.objects.late()) == [late]
