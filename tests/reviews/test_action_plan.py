"""Recommendations and the action plan: adding and keeping each line up to date."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reviews.models import AccessGrant, AccessLogEntry, Recommendation
from reviews.services import action_plan, lifecycle
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, member

from .builders import (
    EVIDENCE_TO_PUBLISHED,
    TODAY,
    advance,
    review_once_per_module,
    snapshot,
    url,
)

pytest_plugins = ["tests.reviews.builders"]
_review_world, partnership, coordinator, dhr, media_root = review_once_per_module()


def _form(owner, **overrides) -> dict:
    due = overrides.pop("due_date", TODAY + timedelta(days=60))
    return {
        "recommendation": "Train call handlers to ask about coercive control.",
        "action": "Run the training for every call handler.",
        "owner": owner.pk,
        "due_date_0": due.day,
        "due_date_1": due.month,
        "due_date_2": due.year,
        "status": "open",
        "progress": "",
        "evidence_of_completion": "",
        **overrides,
    }


@pytest.fixture
def chair(dhr, coordinator):
    user = member(dhr.partnership, Role.STRATEGY_MEMBER, seat=Seat.HEALTH)
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=user, reason=AccessGrant.Reason.CHAIR
    )
    return user


def test_the_chair_adds_a_recommendation_and_it_shows_on_the_review(dhr, chair, police_org):
    client = signed_in(chair)
    assert client.get(url("recommendation_add", dhr)).status_code == 200

    response = client.post(url("recommendation_add", dhr), _form(police_org))

    assert response.status_code == 302
    line = Recommendation.objects.get(review=dhr)
    assert (line.owner, line.status, line.position) == (police_org, "open", 0)
    event = AuditEvent.objects.get(action="review.recommendation_add")
    assert event.changes["owner"] == [None, police_org.name]
    assert "coercive control" not in str(event.changes)
    page = client.get(url("detail", dhr)).content.decode()
    assert "Train call handlers" in page and police_org.name in page


def test_an_owner_outside_the_partnership_is_refused(dhr, coordinator, coordinator_client):
    outsider = OrganisationFactory(name="Faraway Council")
    before = snapshot()
    response = coordinator_client.post(url("recommendation_add", dhr), _form(outsider))
    assert response.status_code == 400
    assert "Choose an organisation that sits on this partnership" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        action_plan.recommendation_add(
            acting_user=coordinator,
            review=dhr,
            recommendation="R",
            action="A",
            owner=outsider,
            due_date=TODAY,
        )
    assert "owner" in refused.value.message_dict
    assert snapshot() == before


def test_complete_needs_evidence_of_completion(
    dhr, coordinator, coordinator_client, action_line, council_org
):
    edit_url = url("recommendation_edit", dhr, recommendation_id=action_line.pk)
    before = snapshot()
    response = coordinator_client.post(
        edit_url, _form(council_org, status="complete", progress="All trained.")
    )
    assert response.status_code == 400
    assert "Give the evidence of completion" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        action_plan.recommendation_update(
            acting_user=coordinator,
            line=action_line,
            recommendation=action_line.recommendation,
            action=action_line.action,
            owner=council_org,
            due_date=action_line.due_date,
            status="complete",
        )
    assert "evidence_of_completion" in refused.value.message_dict
    assert snapshot() == before

    response = coordinator_client.post(
        edit_url,
        _form(
            council_org,
            due_date=action_line.due_date,
            status="complete",
            progress="All trained.",
            evidence_of_completion="Training register, March.",
        ),
    )
    assert response.status_code == 302
    action_line.refresh_from_db()
    assert action_line.status == "complete"
    assert action_line.evidence_of_completion == "Training register, March."
    event = AuditEvent.objects.get(action="review.recommendation_update")
    assert event.changes["status"] == ["open", "complete"]


def test_the_edit_page_shows_the_line_and_logs_the_read(dhr, chair, action_line):
    client = signed_in(chair)
    response = client.get(url("recommendation_edit", dhr, recommendation_id=action_line.pk))
    assert response.status_code == 200
    assert "Share risk assessments" in response.content.decode()
    assert AccessLogEntry.objects.filter(user=chair, what="Action plan: recommendation 1").exists()


def test_an_edit_made_meanwhile_is_not_silently_overwritten(
    dhr, coordinator, coordinator_client, action_line, council_org
):
    edit_url = url("recommendation_edit", dhr, recommendation_id=action_line.pk)
    opened = action_plan.fingerprint(action_line)
    action_plan.recommendation_update(
        acting_user=coordinator,
        line=action_line,
        recommendation=action_line.recommendation,
        action=action_line.action,
        owner=council_org,
        due_date=action_line.due_date,
        status="in_progress",
        progress="Meanwhile: half done.",
    )
    form = _form(council_org, due_date=action_line.due_date, progress="Mine.", based_on=opened)
    response = coordinator_client.post(edit_url, form)
    assert response.status_code == 400
    assert "Meanwhile: half done." in response.content.decode()
    action_line.refresh_from_db()
    assert action_line.progress == "Meanwhile: half done."

    # The page now carries what the line says now: saving again, knowingly, goes through.
    current = response.context["form"]["based_on"].value()
    assert current == action_plan.fingerprint(action_line)
    assert coordinator_client.post(edit_url, {**form, "based_on": current}).status_code == 302
    action_line.refresh_from_db()
    assert action_line.progress == "Mine."


def test_after_publication_the_wording_is_fixed_but_progress_goes_on(
    dhr, coordinator, action_line, council_org
):
    published = advance(dhr, coordinator, EVIDENCE_TO_PUBLISHED)
    action_line.refresh_from_db()
    with pytest.raises(ValidationError):
        action_plan.recommendation_add(
            acting_user=coordinator,
            review=published,
            recommendation="New",
            action="A",
            owner=council_org,
            due_date=TODAY,
        )
    with pytest.raises(ValidationError) as refused:
        action_plan.recommendation_update(
            acting_user=coordinator,
            line=action_line,
            recommendation="Reworded.",
            action=action_line.action,
            owner=council_org,
            due_date=action_line.due_date,
            status="open",
        )
    assert "recommendation" in refused.value.message_dict
    line = action_plan.recommendation_update(
        acting_user=coordinator,
        line=action_line,
        recommendation=action_line.recommendation,
        action=action_line.action,
        owner=council_org,
        due_date=action_line.due_date,
        status="in_progress",
        progress="Housing joined in May.",
    )
    assert line.progress == "Housing joined in May."
