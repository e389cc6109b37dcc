"""Sign-in lockout: one canonical spelling of the account, the right client address behind proxies,
and two counts (see accounts/lockout.py)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from accounts.lockout import client_address
from partnerships.models import Role
from tests.factories import DEFAULT_PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/account/sign-in/"
HOME = "/p/trafford/about/"

# "director@example.org" as people and attackers spell it.
SPELLINGS = [
    "DIRECTOR@example.org",
    "Director@Example.ORG",
    "  director@example.org  ",
    "\N{FULLWIDTH LATIN SMALL LETTER D}irector@example.org",  # NFKC makes it plain
    "\N{FULLWIDTH LATIN CAPITAL LETTER D}\N{FULLWIDTH LATIN CAPITAL LETTER I}RECTOR@example.org",
    "d\N{LATIN SMALL LETTER DOTLESS I}rector@example.org",  # a lookalike: not the account
    "d\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}rector@example.org",  # another lookalike
]


@pytest.fixture
def director(partnership):
    return member(partnership, Role.STRATEGY_MEMBER, email="director@example.org")


def from_address(address: str, **headers) -> Client:
    return Client(REMOTE_ADDR=address, **headers)


def sign_in(client: Client, username: str, password: str = DEFAULT_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client: Client, times: int, username: str = "director@example.org") -> None:
    for _ in range(times):
        assert sign_in(client, username, "wrong-password").status_code in (200, 429)


def signed_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_no_spelling_of_a_locked_account_signs_in(director, settings, spelling):
    attacker = from_address("203.0.113.5")
    fail(attacker, settings.AXES_FAILURE_LIMIT)

    response = sign_in(attacker, spelling)

    assert response.status_code in (200, 429)
    assert not signed_in(attacker)


@pytest.mark.parametrize("spelling", SPELLINGS[:5])
def test_every_spelling_of_the_account_counts_towards_one_lockout(director, settings, spelling):
    attacker = from_address("203.0.113.5")
    fail(attacker, settings.AXES_FAILURE_LIMIT - 1)
    fail(attacker, 1, username=spelling)

    assert sign_in(attacker, "director@example.org").status_code == 429
    assert AccessAttempt.objects.get().username == "director@example.org"


@pytest.mark.parametrize("lookalike", SPELLINGS[5:])
def test_a_lookalike_of_an_address_never_signs_in_as_it(director, lookalike):
    client = from_address("203.0.113.5")

    response = sign_in(client, lookalike)

    assert "Enter a correct email address and password" in response.content.decode()
    assert not signed_in(client)


def test_the_real_spellings_sign_in_when_nothing_is_locked(director):
    for spelling in SPELLINGS[:5]:
        client = from_address("203.0.113.5")
        assert sign_in(client, spelling).status_code == 302
        assert signed_in(client)


def test_failures_at_one_address_do_not_lock_the_owner_out_elsewhere(director, settings):
    fail(from_address("203.0.113.5"), settings.AXES_FAILURE_LIMIT)
    owner = from_address("198.51.100.20")

    assert sign_in(owner, "director@example.org").status_code == 302
    assert signed_in(owner)


def test_rotating_addresses_gives_no_bigger_budget_than_the_account_ceiling(director, settings):
    per_address = settings.AXES_FAILURE_LIMIT - 1  # never enough to lock an address
    addresses = -(-settings.CSP_LOGIN_ACCOUNT_FAILURE_LIMIT // per_address)
    for n in range(addresses):
        fail(from_address(f"203.0.113.{n + 10}"), per_address)

    fresh = from_address("192.0.2.77")
    response = sign_in(fresh, "director@example.org")  # even the right password

    assert response.status_code == 429
    assert not signed_in(fresh)


def test_the_ceiling_does_not_lock_the_owner_out_where_they_have_signed_in_before(
    director, settings
):
    office = from_address("198.51.100.20")
    assert sign_in(office, "director@example.org").status_code == 302
    office.post("/account/sign-out/")
    for n in range(settings.CSP_LOGIN_ACCOUNT_FAILURE_LIMIT):
        fail(from_address(f"203.0.113.{n + 10}"), 1)

    assert sign_in(from_address("192.0.2.77"), "director@example.org").status_code == 429
    assert sign_in(office, "director@example.org").status_code == 302
    # Signing in cleared the office's count only: elsewhere the ceiling still holds.
    assert sign_in(from_address("192.0.2.78"), "director@example.org").status_code == 429


# The client address ------------------------------------------------------------------------------


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().post(LOGIN, REMOTE_ADDR=remote_addr, **headers)


def test_without_trusted_proxies_the_client_is_the_connection_and_the_header_is_ignored(
    settings,
):
    settings.CSP_TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("203.0.113.5", "192.0.2.1")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),  # a spoofed hop on the left
        (1, "192.0.2.1, not-an-address, 192.0.2.2, 203.0.113.5", "203.0.113.5"),
        (2, "203.0.113.5, 10.0.0.2", "203.0.113.5"),  # a load balancer, then nginx
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
    ],
)
def test_behind_trusted_proxies_the_client_is_read_from_the_right(
    settings, proxies, forwarded_for, client
):
    settings.CSP_TRUSTED_PROXY_COUNT = proxies

    assert client_address(request_from("10.0.0.1", forwarded_for)) == client


def test_behind_a_proxy_a_spoofed_forwarded_for_chain_cannot_escape_the_lockout(director, settings):
    settings.CSP_TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt claims another origin; nginx appends the real one.
        attacker = from_address("10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
        fail(attacker, 1)

    again = from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    owner = from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert sign_in(again, "director@example.org").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in(owner, "director@example.org").status_code == 302  # not the proxy's lock
