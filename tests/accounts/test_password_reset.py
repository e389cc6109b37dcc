"""Password reset: limited per address and per client, sent by a task after commit, and answered
the same whether or not the address has an account."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import AccountEmail
from accounts.tasks import send_account_email
from partnerships.models import Role
from reminders.tasks import flush_outbox
from tests.factories import member

pytestmark = pytest.mark.django_db

RESET = "/account/password/reset/"


@pytest.fixture
def director(partnership):
    return member(partnership, Role.CONTRIBUTOR, email="director@example.org")


def ask(client: Client, email: str):
    return client.post(RESET, {"email": email})


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_twenty_five_requests_for_one_address_send_at_most_the_limit(
    director, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {
            ask(from_address(f"203.0.113.{n}"), "director@example.org")["Location"]
            for n in range(25)
        }

    assert answers == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == settings.CSP_PASSWORD_RESET_PER_ADDRESS == 3
    assert {tuple(email.to) for email in mail.outbox} == {("director@example.org",)}


def test_one_client_is_limited_across_different_addresses(
    partnership, settings, django_capture_on_commit_callbacks
):
    people = [
        member(partnership, Role.CONTRIBUTOR, email=f"person{n}@example.org") for n in range(15)
    ]
    attacker = from_address("203.0.113.5")

    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            assert ask(attacker, person.email).status_code == 302
        ask(from_address("198.51.100.20"), people[-1].email)  # someone else is not held up

    assert len(mail.outbox) == settings.CSP_PASSWORD_RESET_PER_CLIENT + 1 == 11
    assert mail.outbox[-1].to == [people[-1].email]


def test_over_the_limit_the_answer_is_the_same_and_nothing_is_queued(
    director, settings, django_capture_on_commit_callbacks
):
    settings.CSP_PASSWORD_RESET_PER_ADDRESS = 1
    client = from_address("203.0.113.5")
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(client, "director@example.org")
    mail.outbox.clear()
    rows = AccountEmail.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        over = ask(client, "director@example.org")

    assert (over.status_code, over["Location"]) == (first.status_code, first["Location"])
    assert callbacks == []
    assert AccountEmail.objects.count() == rows
    assert mail.outbox == []


def _page(client: Client, email: str) -> tuple:
    response = ask(client, email)
    done = client.get(response["Location"])
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", done.content)
    return response.status_code, response["Location"], response.content, done.status_code, body


def test_the_answer_is_the_same_for_an_address_with_or_without_an_account(
    director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _page(from_address("203.0.113.5"), "director@example.org")
        unknown = _page(from_address("203.0.113.6"), "nobody@example.org")

    assert known == unknown
    assert [email.to for email in mail.outbox] == [["director@example.org"]]


def test_the_request_does_the_same_work_for_an_address_with_or_without_an_account(director):
    with CaptureQueriesContext(connection) as known:
        ask(from_address("203.0.113.5"), "director@example.org")
    with CaptureQueriesContext(connection) as unknown:
        ask(from_address("203.0.113.6"), "nobody@example.org")

    def shape(queries):
        # Values and savepoint names aside, the same statements in the same order.
        return [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", query["sql"]) for query in queries]

    assert shape(known) == shape(unknown)
    assert mail.outbox == []  # nothing is sent inside the request


def test_the_email_is_sent_by_the_task_after_commit(
    director, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    original = send_account_email.apply_async
    monkeypatch.setattr(
        send_account_email,
        "apply_async",
        lambda args, **options: queued.append(args) or original(args, **options),
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(from_address("203.0.113.5"), "director@example.org")
    assert mail.outbox == [] and queued == []
    for callback in callbacks:
        callback()

    row = AccountEmail.objects.get()
    assert queued == [(row.pk,)]
    assert row.done_at is not None
    [email] = mail.outbox
    assert email.subject == "Reset your CSP Portal password"


def test_a_reset_asked_for_while_the_broker_is_down_is_sent_by_the_outbox_flush(
    director, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_account_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(from_address("203.0.113.5"), "director@example.org")
    monkeypatch.undo()

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    assert AccountEmail.objects.get().done_at is None

    settings.CSP_UNSENT_EMAIL_GRACE_SECONDS = 0
    assert flush_outbox.delay().get()["account_emails"] == 1
    assert flush_outbox.delay().get()["account_emails"] == 0
    [email] = mail.outbox
    assert email.to == ["director@example.org"]
    assert "/account/password/reset/" in email.body


def test_the_address_is_made_canonical_like_the_sign_in(
    director, django_capture_on_commit_callbacks
):
    fullwidth = "\N{FULLWIDTH LATIN CAPITAL LETTER D}IRECTOR@Example.org "
    with django_capture_on_commit_callbacks(execute=True):
        ask(from_address("203.0.113.5"), fullwidth)
        lookalike = ask(
            from_address("203.0.113.6"), "d\N{LATIN SMALL LETTER DOTLESS I}rector@example.org"
        )

    assert [email.to for email in mail.outbox] == [["director@example.org"]]
    assert lookalike.status_code in (200, 302)  # a format error or "check your email": no email
