"""Partnership isolation for every API route, with real bearer tokens.

For each route under /api/v1/ and each role a member of partnership A can hold, a token of that
member must get 404 for partnership B's records (addressed through B's slug, and through A's own)
by GET and by every write method the route takes, must find nothing of B in any list, and nothing
may change. The member represents B's police force, which sits on A too, so B's object permissions
(granted to that organisation) are really there to leak. A new route is covered as soon as it is
registered; one with an argument this test cannot fill fails loudly until ``OBJECT_ARGUMENTS`` (in
test_isolation.py) learns to make a record of B for it.
"""

import json
from datetime import date

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.models import ApiToken
from accounts.services import api_token_create
from authorities.models import Organisation
from partnerships.models import Membership, PartnerOrganisation, Role, Seat
from partnerships.services import partner_organisation_add
from plans import deadlines

from .factories import (
    STATUTORY_KINDS,
    OrganisationFactory,
    PartnershipFactory,
    member,
    organisation_in,
)
from .test_isolation import (
    OBJECT_ARGUMENTS,
    _argument,
    _assessment,
    _converters,
    _plan,
    _snapshot,
    walked,
)

# Routes that serve no partnership's data: the schema and the pages that display it.
NOT_TENANT_DATA = {"api:schema", "api:reference", "api:docs", "api:redoc"}
WRITE_METHODS = ("post", "put", "patch", "delete")
# A body each write would accept, so that only the lookup can refuse it.
WRITE_BODIES = {
    "api:contribution_draft": {"revision": 1, "answer": "Written by A", "figures": []},
    "api:action_progress": {
        "quarter": "2027-3",
        "revision": 0,
        "status": "complete",
        "narrative": "By A",
    },
    "api:plan_comments": {"part": "whole", "body": "By A"},
    "api:assessment_comments": {"part": "whole", "body": "By A"},
    "api:plan_comment_response": {"outcome": "answered", "response": "By A"},
    "api:assessment_comment_response": {"outcome": "answered", "response": "By A"},
}
# The list routes, and which of B's records they would show were isolation broken.
LIST_DATA = {"api:contribution_requests": _assessment}


def _api_patterns(resolver: URLResolver = None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _api_patterns(pattern, prefix + str(pattern.pattern), inner.strip(":"))
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = prefix + str(pattern.pattern)
            if route.startswith("api/"):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, frozenset(_converters(route))


API_URLS = sorted(
    {name: args for name, args in _api_patterns() if name not in NOT_TENANT_DATA}.items()
)


def test_the_walk_finds_every_api_route():
    names = {name for name, _args in API_URLS}
    assert {
        "api:people",
        "api:contribution_requests",
        "api:contribution_draft",
        "api:contribution_submit",
        "api:actions",
        "api:action_progress",
        "api:published_plans",
        "api:published_plan",
        "api:plan_comments",
        "api:assessment_comments",
        "api:case_review_figures",
        "api:scrutiny_information_requests",
        "api:scrutiny_recommendations",
        "api:engagement_events",
        "api:sharing_agreements",
        "api:quarterly_returns",
        "api:strategy_meetings",
    } <= names


TODAY = date(2027, 11, 15)


def _two_partnerships():
    b = PartnershipFactory(name="Partnership B", slug="b")
    # A shares B's police force, which B grants "answer" and "report progress" on its records.
    a = PartnershipFactory(name="Partnership A", slug="a", seats=False)
    for seat, kind in STATUTORY_KINDS.items():
        organisation = (
            organisation_in(b, Seat.POLICE)
            if seat == Seat.POLICE
            else OrganisationFactory(name=f"A {seat}", kind=kind)
        )
        partner_organisation_add(
            acting_user=None, partnership=a, organisation=organisation, seat=seat
        )
    # Named for neither, so that B's name in a response can only be a leak.
    Organisation.objects.filter(pk=organisation_in(b, Seat.POLICE).pk).update(name="Shared force")
    member(b, Role.COORDINATOR)
    member(b, Role.CONTRIBUTOR)
    member(a, Role.COORDINATOR)
    return a, walked(b)


@pytest.fixture(scope="module")
def walked_partnerships(module_data):
    """A, and B with every record the walk addresses: built once for the module."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
        return module_data.build(_two_partnerships)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def two_partnerships(walked_partnerships, db, monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
    return walked_partnerships


TOKEN_FIELDS = [f.attname for f in ApiToken._meta.concrete_fields if f.name != "last_used_at"]


def _token(user) -> str:
    return api_token_create(
        acting_user=user, name="Walk", memberships=list(Membership.objects.filter(user=user))
    ).secret


def _methods(url: str) -> list[str]:
    view = resolve(url).func.view_class
    return [m for m in ("get", *WRITE_METHODS) if hasattr(view, m)]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("url_name", "arguments"), API_URLS, ids=[n for n, _ in API_URLS])
def test_a_token_of_a_cannot_reach_b(client, two_partnerships, role, url_name, arguments):
    a, b = two_partnerships
    unknown = set(arguments) - {"partnership_slug"} - set(OBJECT_ARGUMENTS)
    assert not unknown, f"Teach OBJECT_ARGUMENTS how to make a record of B for {unknown}"
    objects_of_b = {
        name: _argument(name, b, url_name) for name in arguments if name != "partnership_slug"
    }
    if not arguments:
        LIST_DATA.get(url_name, _plan)(b)
    attacker = member(a, role, seat=Seat.POLICE)
    assert PartnerOrganisation.objects.filter(
        partnership=b, organisation__memberships__user=attacker
    ).exists()
    headers = {"Authorization": f"Bearer {_token(attacker)}"}
    token = list(ApiToken.objects.filter(user=attacker).values(*TOKEN_FIELDS))
    mail.outbox.clear()
    before = _snapshot()

    if "partnership_slug" in arguments:
        urls = [reverse(url_name, kwargs={"partnership_slug": b.slug, **objects_of_b})]
        if objects_of_b:  # B's records through A's own address
            urls.append(reverse(url_name, kwargs={"partnership_slug": a.slug, **objects_of_b}))
    else:
        urls = [reverse(url_name, kwargs=objects_of_b)]

    for url in urls:
        methods = _methods(url)
        assert methods, url
        for method in methods:
            body = json.dumps(WRITE_BODIES.get(url_name, {})) if method != "get" else None
            call = getattr(client, method)
            response = (
                call(url, headers=headers)
                if body is None
                else call(url, body, content_type="application/json", headers=headers)
            )
            label = f"{method.upper()} {url} as {role}"
            if not arguments:  # a list: answered, with nothing of B in it
                assert response.status_code == 200, label
                assert b"Partnership B" not in response.content, label
                assert b'"partnership":"b"' not in response.content, label
            else:
                assert response.status_code == 404, label
                assert response.json()["code"] == "not_found", label
                assert b"Partnership B" not in response.content, label

    after = _snapshot()
    # The token's own last-used time is the one write a refused call may make: one UPDATE of
    # last_used_at (api_token_touch writes it at most once a minute), nothing else of the token.
    assert after.pop("accounts_apitoken", 0) - before.pop("accounts_apitoken", 0) <= 1
    assert after == before
    assert list(ApiToken.objects.filter(user=attacker).values(*TOKEN_FIELDS)) == token
    assert mail.outbox == []
