"""The PCC office maintains its force area's police and crime plan priorities: add, edit,
retire and order them, audited; nobody else may."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Role
from plans.forms.drafting import PlanPriorityForm
from plans.models import PoliceAndCrimePlanPriority
from plans.services import drafting
from tests.conftest import signed_in
from tests.factories import member
from tests.plans.conftest import approved_assessment


def url(name, partnership, **kwargs):
    return reverse(f"oversight:{name}", kwargs={"partnership_slug": partnership.slug, **kwargs})


def _state():
    return (
        list(
            PoliceAndCrimePlanPriority.objects.order_by("pk").values_list(
                "pk", "title", "description", "position", "retired_at"
            )
        ),
        AuditEvent.objects.count(),
    )


def _titles(force_area):
    return list(
        PoliceAndCrimePlanPriority.objects.filter(police_force_area=force_area)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def test_the_pcc_adds_edits_and_orders_priorities(
    partnership, bolton, pcc, force_area, pcc_priorities
):
    client = signed_in(pcc)
    response = client.post(
        url("pcc_priority_add", partnership), {"title": "Tackling violence", "description": "VAWG"}
    )
    assert response.status_code == 302
    added = PoliceAndCrimePlanPriority.objects.get(title="Tackling violence")
    assert added.police_force_area == force_area
    assert _titles(force_area)[-1] == "Tackling violence"

    # Through Bolton too: the priorities are the force area's.
    client.post(
        url("pcc_priority_edit", bolton, pcc_priority_id=added.pk),
        {"title": "Tackling serious violence"},
    )
    client.post(
        url("pcc_priority_move", partnership, pcc_priority_id=added.pk), {"direction": "up"}
    )
    assert _titles(force_area) == [
        "Keeping people safe",
        "Reducing harm",
        "Tackling serious violence",
        "Strengthening communities",
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"pcc_priority.add", "pcc_priority.update", "pcc_priority.move"} <= actions

    page = client.get(url("pcc_priorities", partnership)).content.decode()
    assert "Tackling serious violence" in page


def test_a_retired_priority_is_offered_for_no_new_mapping(partnership, pcc, pcc_priorities):
    coordinator = member(partnership, Role.COORDINATOR)
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    serving = plan.priorities.get(theme="anti_social_behaviour")
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=plan,
        priority=serving,
        revision=serving.revision,
        theme=serving.theme,
        rationale=serving.rationale,
        pcc_priorities=[pcc_priorities[0]],
    )
    client = signed_in(pcc)
    response = client.post(
        url("pcc_priority_retire", partnership, pcc_priority_id=pcc_priorities[0].pk)
    )
    assert response.status_code == 302
    pcc_priorities[0].refresh_from_db()
    assert pcc_priorities[0].retired_at is not None
    assert AuditEvent.objects.filter(action="pcc_priority.retire").exists()

    other = plan.priorities.exclude(pk=serving.pk).first()
    offered_to_other = PlanPriorityForm(plan=plan, priority=other).fields["pcc_priorities"].queryset
    offered_to_serving = (
        PlanPriorityForm(plan=plan, priority=serving).fields["pcc_priorities"].queryset
    )
    assert pcc_priorities[0] not in offered_to_other
    assert pcc_priorities[0] in offered_to_serving  # kept where it already serves
    assert "Retired priorities" in client.get(url("pcc_priorities", partnership)).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Enter the priority&#x27;s title"),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"title": "keeping people safe"}, "already has a priority with this title"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(partnership, pcc, pcc_priorities, data, message):
    before = _state()
    response = signed_in(pcc).post(url("pcc_priority_add", partnership), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PCC_OFFICE])
def test_nobody_else_may_change_them(partnership, pcc_priorities, role):
    client = signed_in(member(partnership, role))
    before = _state()
    target = pcc_priorities[1].pk
    assert client.get(url("pcc_priorities", partnership)).status_code == 404
    for name, data in [
        ("pcc_priority_add", {"title": "New"}),
        ("pcc_priority_edit", {"title": "Changed"}),
        ("pcc_priority_retire", {}),
        ("pcc_priority_move", {"direction": "up"}),
    ]:
        kwargs = {} if name == "pcc_priority_add" else {"pcc_priority_id": target}
        assert client.post(url(name, partnership, **kwargs), data).status_code == 404, name
    assert _state() == before


def test_a_pcc_office_of_another_force_area_cannot_reach_them(partnership, pcc_priorities):
    from tests.factories import PartnershipFactory

    from .conftest import pcc_member

    lincoln = PartnershipFactory(name="Lincoln", slug="lincoln")
    from tests.factories import OrganisationFactory

    stranger = pcc_member(lincoln, OrganisationFactory(name="Lincolnshire PCC", kind="pcc"))
    before = _state()
    response = signed_in(stranger).post(
        url("pcc_priority_edit", lincoln, pcc_priority_id=pcc_priorities[0].pk), {"title": "Mine"}
    )
    assert response.status_code == 404
    assert _state() == before
