"""Cached rendering of frozen records (issue 17, csp_portal/frozen.py): an issued plan version, an
approved assessment and an issued progress report are rendered once for each role and language
and read from the cache after that, with fewer queries; a new revision is rendered afresh.

Frozen records never change through the services, so to see which rendering a page serves these
tests change a row behind the services' back: a viewer served from the cache still sees the old
words, one with a rendering of their own sees the new ones."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import (
    AssessmentSection,
    ContributionRequest,
    ContributionStatus,
    SectionKind,
)
from partnerships.models import Role, Seat
from partnerships.services import membership_update
from plans.models import ActionStatus, PartnershipPlan, PlanAction, ProgressReport, Quarter
from plans.services import drafting
from plans.services.progress import action_progress_report
from plans.services.reports import progress_report_issue
from recorded_crime.models import CrimeRelease
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import YEAR, add_action, approved_assessment, publish

pytestmark = pytest.mark.django_db

JULY = date(YEAR, 7, 10)
SIZES = {"trafford": 1, "bolton": 9}  # actions in each partnership's plan


@pytest.fixture(scope="module")
def world(module_data):
    """Two partnerships, each with a published plan (one action, and nine), the approved
    assessment it was built on and the progress report for its first quarter."""

    def make():
        built = {}
        for slug, actions in SIZES.items():
            partnership = PartnershipFactory(name=slug.title(), slug=slug)
            coordinator = member(partnership, Role.COORDINATOR, email=f"coordinator@{slug}.example")
            plan = drafting.plan_start(
                acting_user=coordinator,
                partnership=partnership,
                assessment=approved_assessment(partnership, coordinator),
            )
            for index in range(actions):
                add_action(plan, coordinator, description=f"Patrol hotspot {index}")
            signers = {
                seat: member(
                    partnership, Role.STRATEGY_MEMBER, seat=seat, email=f"{seat}@{slug}.example"
                )
                for seat in Seat.statutory()
            }
            plan = publish(plan, coordinator, signers)
            report = progress_report_issue(
                acting_user=coordinator, plan=plan, quarter=Quarter(YEAR, 1), today=JULY
            )
            built[slug] = SimpleNamespace(
                partnership=partnership,
                coordinator=coordinator,
                scrutiny=member(partnership, Role.SCRUTINY, email=f"scrutiny@{slug}.example"),
                plan=plan,
                assessment=plan.assessment,
                report=report,
            )
        return built

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


def plan_url(plan):
    return reverse(
        "plans:detail", kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk}
    )


def assessment_url(assessment):
    return reverse(
        "assessments:detail",
        kwargs={"partnership_slug": assessment.partnership.slug, "assessment_id": assessment.pk},
    )


def report_url(report):
    return reverse(
        "plans:progress_report",
        kwargs={"partnership_slug": report.partnership.slug, "report_id": report.pk},
    )


def get(client, url, **headers) -> tuple[str, int]:
    """The page without what differs on every request (form tokens, script nonces), and the
    number of queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    page = re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.content.decode())
    return page, len(queries)


def test_a_frozen_plan_page_is_read_from_the_cache_with_fewer_queries_at_any_size(world):
    hits = {}
    for slug, built in world.items():
        client = signed_in(built.coordinator)
        client.get(reverse("pages:accessibility"))  # the session's first request writes it
        rendered, miss = get(client, plan_url(built.plan))
        cached, hits[slug] = get(client, plan_url(built.plan))
        assert cached == rendered
        assert cached.count('data-testid="action"') == SIZES[slug]
        assert hits[slug] < miss
    assert hits["trafford"] == hits["bolton"]


def test_each_role_has_a_rendering_of_its_own_and_a_new_revision_a_new_one(world):
    built = world["trafford"]
    coordinator, scrutiny = signed_in(built.coordinator), signed_in(built.scrutiny)
    assert "Patrol hotspot 0" in get(coordinator, plan_url(built.plan))[0]
    PlanAction.objects.filter(plan=built.plan).update(description="Street lighting")

    assert "Patrol hotspot 0" in get(coordinator, plan_url(built.plan))[0]  # the coordinators'
    assert "Street lighting" in get(scrutiny, plan_url(built.plan))[0]  # scrutiny's own

    PartnershipPlan.objects.filter(pk=built.plan.pk).update(
        content_revision=F("content_revision") + 1
    )
    page = get(coordinator, plan_url(built.plan))[0]
    assert "Street lighting" in page
    assert "Patrol hotspot 0" not in page


def test_each_language_has_a_rendering_of_its_own(world, settings):
    settings.LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
    built = world["trafford"]
    client = signed_in(built.coordinator)
    client.get(reverse("pages:accessibility"))
    _page, english = get(client, plan_url(built.plan), HTTP_ACCEPT_LANGUAGE="en")
    _page, english_again = get(client, plan_url(built.plan), HTTP_ACCEPT_LANGUAGE="en")
    PlanAction.objects.filter(plan=built.plan).update(description="Goleuadau stryd")

    response = client.get(plan_url(built.plan), HTTP_ACCEPT_LANGUAGE="cy")
    assert response["Content-Language"] == "cy"
    assert "Goleuadau stryd" in response.content.decode()  # rendered for Welsh, not the English
    _page, welsh_again = get(client, plan_url(built.plan), HTTP_ACCEPT_LANGUAGE="cy")
    assert welsh_again == english_again < english
    assert "Patrol hotspot 0" in get(client, plan_url(built.plan), HTTP_ACCEPT_LANGUAGE="en")[0]


def test_an_approved_assessment_is_rendered_for_each_role(world):
    built = world["bolton"]
    coordinator, scrutiny = signed_in(built.coordinator), signed_in(built.scrutiny)
    coordinator.get(reverse("pages:accessibility"))
    page, miss = get(coordinator, assessment_url(built.assessment))
    again, hit = get(coordinator, assessment_url(built.assessment))
    assert again == page
    assert hit < miss
    assert 'href="#contributions"' in page
    # Scrutiny does not read contributions: its rendering has no link to them.
    assert 'href="#contributions"' not in get(scrutiny, assessment_url(built.assessment))[0]
    assert 'href="#contributions"' in get(coordinator, assessment_url(built.assessment))[0]


def test_what_is_live_on_an_approved_assessment_is_not_cached(world):
    built = world["bolton"]
    client = signed_in(built.coordinator)
    get(client, assessment_url(built.assessment))
    AssessmentSection.objects.filter(
        assessment=built.assessment, kind=SectionKind.COMMUNITY
    ).update(body="Residents asked for more patrols.")
    # The section's text is frozen with the assessment (served as rendered); the contribution
    # requests below it are read on every request.
    page = get(client, assessment_url(built.assessment))[0]
    assert "Residents asked for more patrols." not in page
    ContributionRequest.objects.create(
        assessment=built.assessment,
        partnership=built.partnership,
        organisation=organisation_in(built.partnership, Seat.FIRE_AND_RESCUE),
        title="Figures from the fire service",
        due_date=JULY,
        status=ContributionStatus.REQUESTED,
    )
    assert "Figures from the fire service" in get(client, assessment_url(built.assessment))[0]


def test_an_issued_report_is_rendered_once_for_each_role(world):
    built = world["trafford"]
    coordinator, scrutiny = signed_in(built.coordinator), signed_in(built.scrutiny)
    first = get(coordinator, report_url(built.report))[0]
    assert "Patrol hotspot 0" in first
    figures = built.report.figures
    for row in figures["measures"]:
        row["action"] = "Street lighting"
    ProgressReport.objects.filter(pk=built.report.pk).update(figures=figures)
    assert get(coordinator, report_url(built.report))[0] == first
    assert "Street lighting" in get(scrutiny, report_url(built.report))[0]


def test_a_frozen_page_renders_when_the_cache_is_unreachable(world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    built = world["trafford"]
    page = get(signed_in(built.coordinator), plan_url(built.plan))[0]
    assert page.count('data-testid="action"') == SIZES["trafford"]


def test_what_changes_while_a_version_stands_is_live_on_its_cached_page(
    world, django_capture_on_commit_callbacks
):
    """An action's status (progress updates set it on the plan in force) is not part of the
    frozen contents: a progress update, through its service, moves the partnership's change
    stamp when it commits, so the page kept under the stamp is worked out again and shows the
    status reported since."""
    built = world["trafford"]
    client = signed_in(built.coordinator)
    before, _queries = get(client, plan_url(built.plan))
    assert ">Complete</strong>" not in before
    with django_capture_on_commit_callbacks(execute=True):
        action_progress_report(
            acting_user=built.coordinator,
            action=built.plan.actions.get(),
            quarter=Quarter(YEAR, 2),
            narrative="Finished early",
            status=ActionStatus.COMPLETE,
            today=JULY,
        )

    after, _queries = get(client, plan_url(built.plan))
    assert 'data-testid="action"' in after and ">Complete</strong>" in after


def test_a_kept_plan_page_shows_each_member_only_what_they_may_do(
    world, django_capture_on_commit_callbacks
):
    """A frozen version's page, buttons included, is kept for each member (issue 17): one whose
    role may not start the refresh never receives the coordinator's page, and a member whose role
    changes (through its service, which moves the partnership's change stamp) is shown what the
    new role may do."""
    built = world["trafford"]
    assert "Start the annual refresh" in get(signed_in(built.coordinator), plan_url(built.plan))[0]
    scrutiny = get(signed_in(built.scrutiny), plan_url(built.plan))[0]
    assert "Start the annual refresh" not in scrutiny
    assert scrutiny.count('data-testid="action"') == SIZES["trafford"]

    deputy = member(built.partnership, Role.STRATEGY_MEMBER, email="deputy@trafford.example")
    strategy = deputy.memberships.get(partnership=built.partnership)
    client = signed_in(deputy)
    assert "Start the annual refresh" not in get(client, plan_url(built.plan))[0]
    with django_capture_on_commit_callbacks(execute=True):
        membership_update(
            acting_user=built.coordinator,
            membership=strategy,
            role=Role.COORDINATOR,
            organisation=strategy.organisation,
        )
    assert "Start the annual refresh" in get(client, plan_url(built.plan))[0]


def summary_url(plan):
    return reverse("plans:public_summary", kwargs={"slug": plan.partnership.slug})


def test_the_public_summary_is_rendered_once_for_each_published_version(world, client):
    hits = {}
    for slug, built in world.items():
        rendered, miss = get(client, summary_url(built.plan))
        cached, hits[slug] = get(client, summary_url(built.plan))
        assert cached == rendered
        assert cached.count("Patrol hotspot") == SIZES[slug]
        assert hits[slug] < miss
    assert hits["trafford"] == hits["bolton"]

    # A summary is frozen at publication: what a visitor reads is that rendering, until a new
    # revision of the version (or a new version) is published.
    built = world["trafford"]
    summary = built.plan.published_summary
    summary["summary"] = "Rewritten behind the services' back"
    PartnershipPlan.objects.filter(pk=built.plan.pk).update(published_summary=summary)
    assert "Rewritten behind" not in get(client, summary_url(built.plan))[0]
    PartnershipPlan.objects.filter(pk=built.plan.pk).update(
        content_revision=F("content_revision") + 1
    )
    assert "Rewritten behind" in get(client, summary_url(built.plan))[0]

    # Its crime figures are flagged when figures imported since change them: an import renders
    # it again.
    summary["summary"] = "Rewritten once more"
    PartnershipPlan.objects.filter(pk=built.plan.pk).update(published_summary=summary)
    assert "Rewritten once more" not in get(client, summary_url(built.plan))[0]
    CrimeRelease.objects.create(
        period_label="Year ending March 2099", period_end=date(2099, 3, 31), source_file_name="x"
    )
    assert "Rewritten once more" in get(client, summary_url(built.plan))[0]
