"""Contribution requests through the API: the same rules as the pages, and refused writes that
change nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ContributionFigure, ContributionRequest, ContributionStatus
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from tests.assessments.conftest import send_request
from tests.factories import member, organisation_in
from tests.shared_world import (  # noqa: F401 (fixtures)
    contribution,
    coordinator,
    media_root,
    open_assessment,
    partnership,
    police_officer,
)

from .conftest import api, contribution_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(module_data):
    """The partnership, its people, the published plan and the request to the police, made once
    (tests/api/conftest.py's ``contribution_world``); each test reads them afresh."""
    return module_data.build(contribution_world)


def detail_url(contribution) -> str:
    return f"/api/v1/p/{contribution.partnership.slug}/contribution-requests/{contribution.pk}/"


def draft(client, contribution, body, **extra):
    return client.put(
        detail_url(contribution) + "draft/",
        json.dumps(body) if not isinstance(body, bytes | str) else body,
        content_type=extra.pop("content_type", "application/json"),
        **extra,
    )


def _state():
    return (
        list(
            ContributionRequest.objects.order_by("pk").values_list(
                "pk", "status", "answer", "revision"
            )
        ),
        list(ContributionFigure.objects.order_by("pk").values_list("pk", "label", "value")),
        AuditEvent.objects.count(),
    )


def test_requests_to_you_lists_the_organisations_requests(police_officer, contribution):
    body = api(police_officer).get("/api/v1/contribution-requests/").json()

    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == contribution.pk
    assert row["partnership"] == "trafford"
    assert row["status"] == ContributionStatus.REQUESTED
    assert row["url"].endswith(detail_url(contribution))


def test_someone_of_another_organisation_is_not_asked(partnership, contribution):
    council = member(partnership, Role.CONTRIBUTOR, seat=Seat.LOCAL_AUTHORITY)
    client = api(council)

    assert client.get("/api/v1/contribution-requests/").json()["count"] == 0
    assert client.get(detail_url(contribution)).status_code == 404


def test_the_list_filters_by_partnership_and_status(police_officer, contribution):
    client = api(police_officer)

    def count(query):
        return client.get(f"/api/v1/contribution-requests/?{query}").json()["count"]

    assert count("partnership=trafford") == 1
    assert count("partnership=elsewhere") == 0
    assert count("status=requested") == 1
    assert count("status=submitted") == 0
    response = client.get("/api/v1/contribution-requests/?status=nonsense")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_saving_a_draft_and_submitting_it(police_officer, contribution):
    client = api(police_officer)

    response = draft(
        client,
        contribution,
        {
            "revision": contribution.revision,
            "answer": "Incidents rose by a fifth.",
            "figures": [{"label": "Incidents", "value": "1204", "unit": "incidents"}],
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ContributionStatus.IN_PROGRESS
    assert body["figures"] == [{"label": "Incidents", "value": "1204.00", "unit": "incidents"}]
    assert body["can_answer"] is True
    contribution.refresh_from_db()
    assert contribution.answer == "Incidents rose by a fifth."
    assert AuditEvent.objects.filter(action="contribution.save", actor=police_officer).exists()

    response = client.post(
        detail_url(contribution) + "submit/", {}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == ContributionStatus.SUBMITTED
    contribution.refresh_from_db()
    assert contribution.submitted_by == police_officer


def test_a_stale_revision_is_refused_and_changes_nothing(police_officer, contribution):
    client = api(police_officer)
    body = {"revision": contribution.revision, "answer": "First.", "figures": []}
    assert draft(client, contribution, body).status_code == 200
    before = _state()

    response = draft(client, contribution, {**body, "answer": "Overwrite"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"]["non_field_errors"]
    assert _state() == before


def test_submitting_without_an_answer_is_refused(police_officer, contribution):
    client = api(police_officer)
    before = _state()
    response = client.post(
        detail_url(contribution) + "submit/", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "answer" in response.json()["fields"]["non_field_errors"][0].lower()
    assert _state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"revision": 1, "answer": "A", "colour": "red"}, "colour"),
        (
            {"revision": 1, "answer": "A", "figures": [{"label": "X", "value": "1", "x": 1}]},
            "figures",
        ),
        ({"revision": 1, "answer": "A", "figures": [{"label": "X", "value": "lots"}]}, "figures"),
        ({"answer": "A"}, "revision"),
        ({"revision": "one", "answer": "A"}, "revision"),
        ({"revision": 1, "answer": "Rose\x1b[2J by 12%"}, "answer"),
        (
            {"revision": 1, "answer": "A", "figures": [{"label": "X\r\nY", "value": "1"}]},
            "figures",
        ),
    ],
)
def test_bad_fields_are_named_and_change_nothing(police_officer, contribution, body, field):
    client = api(police_officer)
    before = _state()

    response = draft(client, contribution, body)

    assert response.status_code == 400
    payload = response.json()
    assert set(payload) == {"status", "code", "detail", "fields"}
    assert field in payload["fields"]
    assert _state() == before


def test_malformed_json_unsupported_media_and_oversized_bodies(
    police_officer, contribution, settings
):
    client = api(police_officer)
    before = _state()

    malformed = draft(client, contribution, '{"revision": 1, "answer": ')
    unsupported = draft(client, contribution, "revision=1", content_type="text/plain")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    oversized = draft(client, contribution, {"revision": 1, "answer": "x" * 2000})

    assert (malformed.status_code, malformed.json()["code"]) == (400, "parse_error")
    assert (unsupported.status_code, unsupported.json()["code"]) == (415, "unsupported_media_type")
    assert (oversized.status_code, oversized.json()["code"]) == (413, "payload_too_large")
    assert _state() == before


def test_control_characters_are_refused_by_field_but_an_answer_keeps_its_lines(
    police_officer, contribution
):
    client = api(police_officer)
    before = _state()

    refused = draft(
        client,
        contribution,
        {"revision": 1, "answer": "A\x07", "figures": [{"label": "X\nY", "value": "1"}]},
    )

    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "answer": ["This field must not contain control characters."],
        "figures": {
            "0": {"label": ["This field must not contain line breaks or control characters."]}
        },
    }
    assert _state() == before

    saved = draft(client, contribution, {"revision": 1, "answer": "Rose.\r\n\r\n\tBy 12%."})
    assert saved.status_code == 200
    contribution.refresh_from_db()
    assert contribution.answer == "Rose.\r\n\r\n\tBy 12%."


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        '{"revision": 1, "answer": "", "figures": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
    ids=["arrays", "objects", "inside-a-field"],
)
def test_deeply_nested_json_is_a_parse_error_that_changes_nothing(
    police_officer, contribution, body
):
    """Nesting deeper than the JSON decoder can recurse is malformed input, not a server error."""
    client = api(police_officer)
    before = _state()

    response = draft(client, contribution, body)

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "parse_error",
        "detail": "The JSON is nested too deeply.",
        "fields": {},
    }
    assert _state() == before


@pytest.mark.parametrize("role", [Role.SCRUTINY, Role.PCC_OFFICE])
def test_roles_that_do_not_answer_cannot_write(partnership, contribution, police_officer, role):
    """Even when they sit for the police force: their role has no write access, and 404 tells
    them nothing about whether the request exists."""
    reader = member(partnership, role, seat=Seat.POLICE)
    client = api(reader)
    before = _state()

    responses = [
        draft(client, contribution, {"revision": 1, "answer": "Mine now"}),
        client.post(detail_url(contribution) + "submit/", {}, content_type="application/json"),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert all(r.json()["code"] == "not_found" for r in responses)
    assert _state() == before


def test_the_list_runs_a_fixed_number_of_queries(
    partnership, coordinator, open_assessment, police_officer
):
    client = api(police_officer)
    police = organisation_in(partnership, Seat.POLICE)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/contribution-requests/").status_code == 200
        return len(captured)

    send_request(open_assessment, coordinator, police, title="First")
    queries()  # the first request also fills per-process caches (content types)
    few = queries()
    for number in range(15):
        send_request(open_assessment, coordinator, police, title=f"Request {number}")
    many = queries()

    assert many == few
    assert few <= 8
