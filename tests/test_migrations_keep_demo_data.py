"""Issue 21's migrations on today's demo data: local policing bodies for every police force area
(the four mayoral areas as mayors) and every existing review a domestic homicide review that
keeps its dates and its clocks (now read from its type's row), with no row of anything else lost
or added."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from authorities.models import LocalPolicingBody, PoliceForceArea
from authorities.models import LocalPolicingBodyKind as Kind
from reviews.clocks import review_clocks
from reviews.models import DomesticHomicideReview, ReviewType
from tests.conftest import signed_in


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model not in (LocalPolicingBody, ReviewType)
    }


def _history(area) -> list[tuple[str, str, date, date | None]]:
    return list(
        area.local_policing_bodies.order_by("functions_from").values_list(
            "kind", "title", "functions_from", "functions_until"
        )
    )


def _clocks(today) -> list:
    return [
        [(c.key, c.due_on, c.done_on, c.paused) for c in review_clocks(review, today)]
        for review in DomesticHomicideReview.objects.order_by("pk")
        .select_related("review_type")
        .prefetch_related("holds")
    ]


# Back to before issue 21, and forward again, one app at a time, in the order Django runs the
# migrations when given both targets at once (the authorities' one, then the reviews' two, both
# ways). Given both, Django works out the models' state at the first of the migrations and
# carries it, with the models re-rendered at each step, through the fifty-odd migrations of other
# apps that lie between them in its plan. One app at a time, each starts from the state just
# before its own: the same migrations in the same order, and the module's CPU 21.4 s to 11.5 s.
BACK = [("authorities", "0001_initial"), ("reviews", "0003_review_legal_hold")]
FORWARD = [
    ("authorities", "0002_local_policing_bodies"),
    ("reviews", "0005_review_type_data_and_quality_assurance"),
]


def _table(page: str) -> str:
    return page[page.index("<table") : page.index("</table>")]


@pytest.mark.slow  # most of a minute: it seeds the demo and migrates it back and forth
def test_the_migrations_keep_every_row_of_the_demo(db):
    call_command("seed_demo")
    before = _counts()
    # The seed's rows are checked now, not at the end of the test's transaction, so that the
    # migration may drop and make the table.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    reviews_before = list(DomesticHomicideReview.objects.values_list("pk", "reference"))
    assert reviews_before
    today = date(2026, 12, 7)
    dates = ("notified_on", "decided_on", "home_office_notified_on", "status", "held_from")
    dates_before = list(DomesticHomicideReview.objects.order_by("pk").values_list(*dates))
    clocks_before = _clocks(today)
    for target in BACK:
        MigrationExecutor(connection).migrate([target])
    tables = connection.introspection.table_names()
    assert "authorities_localpolicingbody" not in tables and "reviews_reviewtype" not in tables
    for target in FORWARD:
        MigrationExecutor(connection).migrate([target])

    assert _counts() == before
    # Every review recorded so far is a domestic homicide review.
    assert (
        list(
            DomesticHomicideReview.objects.filter(review_type__code="dhr").values_list(
                "pk", "reference"
            )
        )
        == reviews_before
    )
    assert list(DomesticHomicideReview.objects.order_by("pk").values_list(*dates)) == dates_before
    assert _clocks(today) == clocks_before
    # The types are data: the domestic homicide review's clocks as the guidance gives them, and
    # the single unified safeguarding review made.
    dhr = ReviewType.objects.get(code="dhr")
    assert (dhr.decision_months, dhr.home_office_notice_days, dhr.completion_months) == (1, 7, 6)
    assert dhr.criteria == ["aged_16_or_over", "relationship", "suicide_with_domestic_abuse"]
    assert ReviewType.objects.get(code="susr").welsh_government_notified
    codes = set(PoliceForceArea.objects.values_list("code", flat=True))
    assert LocalPolicingBody.objects.filter(functions_until__isnull=True).count() == len(codes)
    greater_manchester = PoliceForceArea.objects.get(name="Greater Manchester")
    assert _history(greater_manchester) == [
        (
            Kind.PCC,
            "Greater Manchester Police and Crime Commissioner",
            date(2012, 11, 22),
            date(2017, 5, 7),
        ),
        (Kind.MAYOR, "Mayor of Greater Manchester", date(2017, 5, 8), None),
    ]
    assert _history(PoliceForceArea.objects.get(name="South Wales")) == [
        (Kind.PCC, "South Wales Police and Crime Commissioner", date(2012, 11, 22), None)
    ]
    # The demo's mayor's office sees its force area, and its requests, under the mayor's title.
    office = signed_in(User.objects.get(email="pcc@greatermanchester.example"))
    page = office.get("/pcc/").content.decode()
    assert (
        "held by the Mayor of Greater Manchester (mayor with police and crime commissioner" in page
    )
    requests = office.get("/p/trafford/report-requests/").content.decode()
    assert "· Office of the Mayor of Greater Manchester</span>" in requests
    assert _table(requests).count("Mayor of Greater Manchester") == 1
