"""The demonstration (``manage.py seed_demo``), seeded once for the whole module: what a first
look at each part of the portal needs, that a second run adds nothing, that every login works, and
that no page of it prints a figure without its separators (csp_portal.templatetags.figures).
Seeding takes many seconds, so the tests that read the demo live here and share one seed; a test
that checks what a second run does still runs it (its writes roll back with the test)."""

import html
import re
from collections import deque
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from assessments.models import StrategicAssessment
from demo.engagement import seed_engagement
from demo.partnerships import DEMO_PASSWORD, PEOPLE
from demo.scrutiny import seed_scrutiny
from engagement.models import EngagementEvent
from infosharing.models import QuarterlyReturn, SharingAgreement
from oversight.models import ReportRequest
from partnerships.models import Membership, Partnership, Seat
from plans.models import PoliceAndCrimePlanPriority
from scrutiny.models import CallForAction, CommitteeReport, InformationRequest, ScrutinyMeeting
from strategygroup.models import StrategyMeeting
from tests.conftest import signed_in
from tests.partnerships.test_ons_lookup import LOOKUP_2023

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(module_data) -> str:
    """The demo, seeded once for the module (each test reads it in a savepoint, and what a test
    changes, a used backup code included, is rolled back after it): what seeding printed."""

    def make():
        printed = StringIO()
        call_command("seed_demo", stdout=printed)
        return printed.getvalue()

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "authorities",
            "partnerships",
            "audit",
            "assessments",
            "recorded_crime",
            "plans",
            "reviews",
            "oversight",
            "scrutiny",
        }
    }


def test_the_demo_loads_once_however_often_it_runs(seeded):
    first = _counts()
    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    out = seeded
    for person in PEOPLE:
        assert person.email in out
    assert DEMO_PASSWORD in out


def test_the_demo_has_the_partnerships_a_first_look_needs(seeded):

    partnerships = {p.ons_code: p for p in Partnership.objects.prefetch_related("districts")}
    assert partnerships["W14000015"].nation == "wales"  # a Welsh CSP
    assert partnerships["E22000027"].districts.get().code.startswith("E06")  # a unitary
    assert partnerships["E22000175"].districts.get().code.startswith("E07")  # a district
    assert partnerships["E22000362"].districts.count() == 2  # one CSP for merged districts
    for partnership in partnerships.values():
        seats = set(partnership.partner_organisations.values_list("seat", flat=True))
        assert set(Seat.statutory()) <= seats, partnership.name
    assert Membership.objects.filter(user__email="analyst@southwales.example").count() == 2
    assert Membership.objects.filter(user__email="pcc@southwales.example").count() == 2


def test_every_demo_login_signs_in_and_two_factor_users_get_backup_codes(client, seeded):
    lines = seeded.splitlines()

    for person in PEOPLE:
        client.post("/account/sign-in/", {"username": person.email, "password": DEMO_PASSWORD})
        response = client.get("/")
        if response.status_code == 302 and "two-factor" in response["Location"]:
            row = lines.index(next(line for line in lines if person.email in line))
            code = lines[row + 1].split(":")[-1].split()[0]
            client.post("/account/two-factor/", {"token": code})
            response = client.get("/")
        assert response.status_code in (200, 302), person.email
        assert "sign-in" not in response.get("Location", ""), person.email
        assert "two-factor" not in response.get("Location", ""), person.email
        client.post("/account/sign-out/")


def test_a_second_run_prints_the_codes_still_unused_and_they_work(client, seeded):
    printed = StringIO()
    call_command("seed_demo", stdout=printed)
    second = printed.getvalue()
    assert seeded == second

    code = next(line for line in second.splitlines() if "backup codes" in line).split()[-1]
    client.post(
        "/account/sign-in/", {"username": "coordinator@trafford.example", "password": DEMO_PASSWORD}
    )
    client.post("/account/two-factor/", {"token": code})
    assert client.get("/p/trafford/about/").status_code == 200


def test_the_demo_shows_the_assessment_cycle_and_its_evidence(seeded):
    from assessments.models import ContributionRequest, StrategicAssessment
    from assessments.selectors import my_requests
    from recorded_crime.selectors import crime_profile

    trafford = Partnership.objects.get(ons_code="E22000107")
    statuses = dict(
        StrategicAssessment.objects.filter(partnership=trafford).values_list("year_start", "status")
    )
    assert statuses == {2026: "approved", 2027: "contributions_open"}
    assert ContributionRequest.objects.filter(partnership=trafford).late().count() == 1
    profile = crime_profile(partnership=trafford)
    assert profile.total.count == 18009
    assert profile.rates.population.residents == 237_480
    assert profile.rates.total.rate == Decimal("75.8")  # 18,009 per 237,480 residents
    analyst = User.objects.get(email="analyst@southwales.example")
    assert {r.partnership.name for r in my_requests(user=analyst)} == {"Cardiff", "Cwm Taf"}


def test_the_demo_has_a_published_plan_with_actions_for_each_partner(seeded):
    from plans.models import PartnershipPlan
    from plans.policies import ActionPolicy

    plan = PartnershipPlan.objects.get(partnership__ons_code="E22000107", version=1)
    assert (plan.status, plan.period_label) == ("published", "2026 to 2029")
    assert set(plan.sign_offs.values_list("seat", flat=True)) == {"police", "local_authority"}
    partner = User.objects.get(email="partner@trafford.example")
    assert [a.description for a in ActionPolicy.reportable(partner).filter(plan=plan)] == [
        "Run fire safety and diversion sessions in the wards with most deliberate fires"
    ]
    # Its refresh is in consultation: comments in every state, the council's seat still to sign.
    refresh = plan.next_version
    assert refresh.status == "consultation" and refresh.takes_comments
    assert set(refresh.comments.values_list("status", flat=True)) == {
        "open",
        "answered",
        "accepted",
        "declined",
    }
    assert set(refresh.sign_offs.values_list("seat", flat=True)) == {"police"}
    # The evidence trail and a measure that fills itself.
    from plans.evidence import plan_evidence

    priorities = list(plan.priorities.all())
    evidence = plan_evidence(plan, priorities)
    titles = [item.title for items in evidence.values() for item in items]
    assert "Police recorded crime: Violence with injury, year ending June 2025" in titles
    assert "What the community said" in titles
    assert plan.actions.filter(measures__series="crime:violence_with_injury:rate").exists()


def test_cardiff_publishes_its_plan_in_welsh_and_in_english(seeded, client):
    from plans.models import DocumentKind, PartnershipPlan, PlanDocument

    plan = PartnershipPlan.objects.get(partnership__ons_code="W14000015")
    assert plan.status == "published"
    assert plan.published_summary["languages"] == ["en", "cy"]
    assert plan.published_summary["wellbeing"]["body_cy"].startswith("Mae pob blaenoriaeth")
    assert set(
        PlanDocument.objects.filter(plan=plan, kind=DocumentKind.SUMMARY).values_list(
            "language", flat=True
        )
    ) == {"en", "cy"}
    welsh = client.get("/plans/cardiff/cy/")
    assert welsh.status_code == 200 and '<html lang="cy"' in welsh.text
    assert "Llai o ddioddefwyr" in welsh.text and "Fewer victims" not in welsh.text


def test_the_demo_review_is_visible_only_to_its_coordinator(seeded):
    from reviews.models import DomesticHomicideReview
    from reviews.policies import ReviewPolicy

    review = DomesticHomicideReview.objects.get()
    assert review.status == "on_hold"
    coordinator = User.objects.get(email="coordinator@trafford.example")
    councillor = User.objects.get(email="scrutiny@trafford.example")
    assert ReviewPolicy.has_access(coordinator, review)
    assert not ReviewPolicy.has_access(councillor, review)


def test_trafford_has_issued_progress_reports_with_a_trend(seeded):
    from plans.deadlines import local_today
    from plans.models import PartnershipPlan, ProgressReport

    plan = PartnershipPlan.objects.get(partnership__ons_code="E22000107", status="published")
    completed = [q for q in plan.quarters if q.ends_on < local_today()]
    reports = list(ProgressReport.objects.filter(partnership=plan.partnership))
    assert len(reports) == min(2, len(completed))
    if len(reports) == 2:
        latest, earlier = reports  # latest first
        assert latest.previous == earlier
        assert latest.figures["totals"] != earlier.figures["totals"]


# The police and crime commissioners' offices (from tests/oversight) -----------------------------


def test_the_demo_gives_each_pcc_office_a_force_area_page(seeded):
    call_command("seed_demo", stdout=StringIO())

    south_wales = signed_in(User.objects.get(email="pcc@southwales.example")).get("/pcc/")
    page = south_wales.content.decode()
    assert "Cardiff" in page and "Cwm Taf" in page
    assert "Tackling violence against women and girls" in page
    greater_manchester = signed_in(User.objects.get(email="pcc@greatermanchester.example"))
    assert "Keeping people safe" in greater_manchester.get("/pcc/").content.decode()
    request = ReportRequest.objects.get(partnership__name="Trafford")
    assert request.status == "requested"
    # South Wales asked Cardiff, which answered: the office has an answer to read.
    answered = ReportRequest.objects.get(partnership__name="Cardiff")
    assert answered.status == "answered"
    assert (
        PoliceAndCrimePlanPriority.objects.filter(police_force_area__name="South Wales").count()
        == 4
    )


def _grants_table(page: str) -> str:
    start = page.index('data-testid="grants"')
    return page[start : page.index("</table>", start)]


def test_the_demo_has_grants_with_spend_from_a_mayor_and_a_commissioner(seeded):
    from plans.models import CommunitySafetyGrant

    call_command("seed_demo", stdout=StringIO())  # a second run adds nothing

    assert CommunitySafetyGrant.objects.filter(partnership__name="Trafford").count() == 2
    greater_manchester = signed_in(User.objects.get(email="pcc@greatermanchester.example"))
    trafford = _grants_table(greater_manchester.get("/pcc/").content.decode())
    assert "£48,000" in trafford and "£30,000" in trafford and "£11,200" in trafford
    south_wales = signed_in(User.objects.get(email="pcc@southwales.example"))
    cwm_taf = _grants_table(south_wales.get("/pcc/").content.decode())
    grant = CommunitySafetyGrant.objects.get(partnership__slug=cwm_taf_slug())
    spent = sum(item.amount_spent for item in grant.spend_returns.all())
    assert grant.spend_returns.exists()  # every quarter ended so far
    assert "£22,500" in cwm_taf and f"£{spent:,.0f}" in cwm_taf
    page = south_wales.get(f"/p/{grant.partnership.slug}/grants/{grant.pk}/").content.decode()
    assert "South Wales Police and Crime Commissioner" in page


def cwm_taf_slug() -> str:
    return Partnership.objects.get(ons_code="W14000023").slug


# National oversight (from tests/national) -------------------------------------------------------


def test_the_demo_has_a_national_officer_and_a_contact_on_the_register(seeded, client):
    call_command("seed_demo", stdout=StringIO())
    assert "national@homeoffice.example" in seeded
    officer = User.objects.get(email="national@homeoffice.example")
    assert officer.national_oversight_grants.filter(ended_at__isnull=True).count() == 1
    page = signed_in(officer).get("/national/").content.decode()
    assert "Trafford" in page and "Cardiff" in page
    assert "csp@trafford.example" in client.get("/partnerships/trafford/").content.decode()
    learning = signed_in(officer).get("/national/dhr-learning/").content.decode()
    assert "647 published reviews" in learning


# The reminders benchmark (from tests/reminders/test_tasks.py) -----------------------------------


def test_the_benchmark_runs_on_a_database_that_already_holds_the_demo(seeded):
    partnerships = sorted(Partnership.objects.values_list("pk", "slug", "ons_edition"))
    assessments = StrategicAssessment.objects.count()
    out = StringIO()

    call_command(
        "benchmark_reminders", "--partnerships", "8", "--lookup", str(LOOKUP_2023), stdout=out
    )

    text = out.getvalue()
    assert "Seeded 8 partnerships" in text and "rolled back" in text
    assert sorted(Partnership.objects.values_list("pk", "slug", "ons_edition")) == partnerships
    assert StrategicAssessment.objects.count() == assessments


# Figures (csp_portal.templatetags.figures; the filter itself is in tests/test_figures.py) --------

PAGES_PER_PERSON = 40
# Not pages: files, signing out, the admin and the API (as the reflow crawl).
SKIP = re.compile(
    r"^/(account/sign-out|admin|api|static|media)/|/(pdf|download|exports?)/|\.(pdf|csv|json)$"
    r"|/documents/\d+/|/summary\.pdf$"
)
# Four or more digits in a row that are not part of a code (E22000027), a date or a grouped
# figure: a figure printed without separators.
UNGROUPED = re.compile(r"(?<![\w,.\-:/£])\d{4,}(?![\w,]|\.\d)")
GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_HIDDEN = re.compile(r"<(script|style|head|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def _is_year(number: str) -> bool:
    return len(number) == 4 and 1990 <= int(number) <= 2100


@pytest.mark.parametrize(
    "email",
    ["coordinator@trafford.example", "partner@trafford.example", "pcc@greatermanchester.example"],
)
def test_no_page_of_the_demo_prints_a_figure_without_separators(seeded, email):
    client = signed_in(User.objects.get(email=email))
    ungrouped, grouped_seen = {}, set()
    queue, seen = deque(["/"]), {"/"}
    while queue and len(seen) - len(queue) < PAGES_PER_PERSON:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        text = _visible_text(page)
        grouped_seen |= set(GROUPED.findall(text))
        found = [number for number in UNGROUPED.findall(text) if not _is_year(number)]
        if found:
            ungrouped[path] = found
        for link in re.findall(r'<a [^>]*href="(/[^"#?]*)"', page):
            if link not in seen and not SKIP.search(link) and not urlsplit(link).query:
                seen.add(link)
                queue.append(link)

    assert ungrouped == {}
    assert len(grouped_seen) >= 5, grouped_seen  # the walk did reach figures in the thousands


# Scrutiny and engagement (from tests/scrutiny and tests/engagement) ----------------------------


def _demo_partnerships() -> dict:
    return {p.ons_code: p for p in Partnership.objects.exclude(ons_code="")}


def test_the_demo_shows_the_committees_work_in_trafford_and_cardiff(seeded):
    seed_scrutiny(partnerships=_demo_partnerships())  # a second run changes nothing

    for name in ("Trafford", "Cardiff"):
        statuses = set(
            InformationRequest.objects.filter(partnership__name=name).values_list(
                "status", flat=True
            )
        )
        assert statuses == {"requested", "answered"}, name
        assert CommitteeReport.objects.get(partnership__name=name).status == "awaiting"
        assert CallForAction.objects.filter(partnership__name=name).count() == 1
        assert ScrutinyMeeting.objects.filter(partnership__name=name).count() == 1

    councillor = signed_in(User.objects.get(email="scrutiny@cardiff.example"))
    page = councillor.get("/p/cardiff/scrutiny/").content.decode()
    assert "Domestic abuse referrals" in page and "Grangetown" in page
    # The answer to read is on the councillor's Your work.
    assert "Answer to your information request" in councillor.get("/").content.decode()


def test_the_demo_shows_engagement_agreements_and_meetings_in_trafford_and_cardiff(seeded):
    seed_engagement(partnerships=_demo_partnerships())  # a second run changes nothing
    for name in ("Trafford", "Cardiff"):
        statuses = sorted(
            EngagementEvent.objects.filter(partnership__name=name).values_list("status", flat=True)
        )
        assert statuses == ["held", "planned", "published"], name
        assert SharingAgreement.objects.filter(partnership__name=name).count() == 2, name
        returns = QuarterlyReturn.objects.filter(partnership__name=name)
        assert sorted(set(returns.values_list("status", flat=True))) == ["due", "submitted"]
        assert sorted(
            StrategyMeeting.objects.filter(partnership__name=name).values_list("status", flat=True)
        ) == ["published", "scheduled"], name
        assert StrategyMeeting.objects.filter(
            partnership__name=name, public_at__isnull=False
        ).exists(), name
    coordinator = signed_in(User.objects.get(email="coordinator@cardiff.example"))
    page = coordinator.get("/p/cardiff/engagement/").content.decode()
    assert "Grangetown" in page and ">Gap<" in page
