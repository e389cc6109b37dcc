"""Choosing Welsh, and everything that follows the choice (issue 16 items 2 and 4).

The toggle is a plain link (JavaScript off is the test client); the Welsh these tests read is the
catalogue's (locale/cy), compiled by make messages or tests/conftest.py.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.services import user_language_set
from audit.models import AuditEvent
from authorities.models import Nation
from casereviews.models import CaseReview
from csp_portal.languages import language_of, recipient_language
from partnerships.models import Invitation, Role
from partnerships.services import invitation_accept
from reminders.models import Notification
from scrutiny.services.information import information_request_create
from tests.casereviews.builders import APPLICATION, decide, publish_procedure
from tests.conftest import signed_in
from tests.factories import DEFAULT_PASSWORD, PartnershipFactory, member, organisation_in

pytestmark = pytest.mark.django_db

TOGGLE = re.compile(r'<nav [^>]*data-testid="language-toggle".*?</nav>', re.S)
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def _toggle_link(page: str, language: str) -> str:
    """The toggle's link to ``language``, checked to carry lang and hreflang."""
    toggle = TOGGLE.search(page).group(0)
    link = re.search(rf'<a [^>]*href="([^"]+)"[^>]*lang="{language}" hreflang="{language}"', toggle)
    assert link, toggle
    return link.group(1).replace("&amp;", "&")


def _welsh_user(**fields) -> User:
    user = User.objects.create_user(
        fields.pop("email", "cymraeg@example.org"), DEFAULT_PASSWORD, full_name="Eleri Jones"
    )
    user_language_set(acting_user=user, language="cy")
    return user


@pytest.fixture
def welsh_partnership(db):
    return PartnershipFactory(
        name="Cardiff", slug="cardiff", nation=Nation.WALES, ons_code="W22000001"
    )


@pytest.mark.parametrize(
    ("who", "path", "welsh"),
    [
        ("visitor", "/cookies/", "Yn cofio a wnaethoch ddewis Saesneg neu Gymraeg"),
        ("visitor", "/account/sign-in/", "Mewngofnodi i CSP Portal"),
        ("member", "/account/", "Eich cyfrif"),
    ],
)
def test_the_toggle_switches_a_page_to_welsh_and_back_with_plain_links(
    who, path, welsh, partnership
):
    client = signed_in(member(partnership)) if who == "member" else Client()
    page = client.get(path).content.decode()
    assert _lang(page) == "en"
    assert '<span lang="en" aria-current="true">English</span>' in TOGGLE.search(page).group(0)

    response = client.get(_toggle_link(page, "cy"))

    assert response.status_code == 302
    assert response["Location"] == path
    assert response.cookies[COOKIE].value == "cy"
    page = client.get(path).content.decode()
    assert _lang(page) == "cy"
    assert welsh in page
    assert 'aria-label="Cyfieithiadau"' in page
    assert '<span lang="cy" aria-current="true">Cymraeg</span>' in page

    client.get(_toggle_link(page, "en"))
    assert _lang(client.get(path).content.decode()) == "en"


@pytest.mark.parametrize("unsafe", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_the_toggle_goes_back_only_to_a_page_of_this_site(client, unsafe):
    response = client.get(reverse("accounts:language"), {"to": "cy", "next": unsafe})
    assert response["Location"] == reverse("reminders:your_work")


def test_a_language_the_service_does_not_speak_is_not_found(client, partnership):
    user = member(partnership)
    client = signed_in(user)
    response = client.get(reverse("accounts:language"), {"to": "fr", "next": "/account/"})
    assert response.status_code == 404
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == ""


def test_the_toggle_signed_in_keeps_the_choice_on_the_account_and_audits_it(partnership):
    user = member(partnership)
    client = signed_in(user)

    client.get(reverse("accounts:language"), {"to": "cy", "next": "/account/"})
    client.get(reverse("accounts:language"), {"to": "cy", "next": "/account/"})

    user.refresh_from_db()
    assert user.language == "cy"
    events = AuditEvent.objects.filter(action="user.language_changed", object_id=str(user.pk))
    assert [event.changes for event in events] == [{"language": ["", "cy"]}]


def test_the_preference_is_used_from_sign_in_on_whatever_the_browser_says():
    user = _welsh_user()
    client = Client(headers={"accept-language": "en-GB,en"})

    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    page = client.get("/account/").content.decode()

    assert response.status_code == 302
    assert _lang(page) == "cy"
    assert "Eich cyfrif" in page
    # The cookie follows, so the pages after signing out speak it too.
    assert client.cookies[COOKIE].value == "cy"
    client.post(reverse("accounts:logout"))
    assert _lang(client.get("/account/sign-in/").content.decode()) == "cy"


def test_the_preference_wins_over_the_cookie_when_signed_in(partnership):
    user = member(partnership)
    user_language_set(acting_user=user, language="en")
    client = signed_in(user)
    client.cookies[COOKIE] = "cy"

    assert _lang(client.get("/account/").content.decode()) == "en"


def test_the_account_page_shows_the_language_and_a_plain_form_changes_it(partnership):
    user = member(partnership)
    client = signed_in(user)
    assert "Not chosen" in client.get("/account/").content.decode()

    form = client.get(reverse("accounts:account_language")).content.decode()
    response = client.post(reverse("accounts:account_language"), {"language": "cy"})
    page = client.get(response["Location"]).content.decode()

    assert '<span lang="cy">Cymraeg</span>' in form
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "cy"
    assert re.search(r'data-testid="account-language"><span lang="cy">Cymraeg</span>', page)
    assert AuditEvent.objects.filter(action="user.language_changed").count() == 1


def test_the_account_language_form_refuses_a_language_it_does_not_offer(partnership):
    user = member(partnership)
    client = signed_in(user)
    client.cookies[COOKIE] = "cy"

    response = client.post(reverse("accounts:account_language"), {"language": "fr"})

    assert response.status_code == 200
    assert "Gwall:" in response.content.decode()  # crispy-forms-gds's hidden prefix, in Welsh
    user.refresh_from_db()
    assert user.language == ""
    assert not AuditEvent.objects.filter(action="user.language_changed").exists()


def test_only_a_welsh_partnership_asks_which_language_the_invitee_prefers(
    partnership, welsh_partnership
):
    english = signed_in(member(partnership, Role.COORDINATOR))
    welsh = signed_in(member(welsh_partnership, Role.COORDINATOR, email="cardiff@example.org"))

    assert "Which language does the person prefer?" not in english.get(
        "/p/trafford/people/invite/"
    ).content.decode(encoding="utf-8")
    assert (
        "Which language does the person prefer?"
        in welsh.get("/p/cardiff/people/invite/").content.decode()
    )
    response = welsh.post(
        "/p/cardiff/people/invite/",
        {
            "full_name": "Eleri Jones",
            "email": "eleri@example.org",
            "role": Role.CONTRIBUTOR,
            "organisation": organisation_in(welsh_partnership).pk,
        },
    )
    assert "Select the language the person prefers" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_welsh_invitation_is_emailed_in_welsh_whoever_sends_it_and_sets_the_preference(
    welsh_partnership, django_capture_on_commit_callbacks
):
    coordinator = member(welsh_partnership, Role.COORDINATOR, email="cardiff@example.org")
    user_language_set(acting_user=coordinator, language="en")
    client = signed_in(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/p/cardiff/people/invite/",
            {
                "full_name": "Eleri Jones",
                "email": "eleri@example.org",
                "role": Role.CONTRIBUTOR,
                "organisation": organisation_in(welsh_partnership).pk,
                "language": "cy",
            },
        )

    invitation = Invitation.objects.get()
    email = mail.outbox[-1]
    assert response.status_code == 302
    assert "Invitation sent" in client.get(response["Location"]).content.decode()  # English page
    assert invitation.language == "cy"
    assert email.subject == "Fe'ch gwahoddir i Cardiff ar CSP Portal"
    assert email.body.startswith("Annwyl Eleri Jones,")
    assert "Derbyniwch y gwahoddiad yma:" in email.body
    # The expiry date in Welsh: "... mae'n dod i ben ar 14 Rhagfyr 2026."
    expires = re.search(r"dod i ben ar (\d+) (\w+) (\d{4})", email.body)
    assert expires.group(2) in WELSH_MONTHS

    token = re.search(r"/account/invitations/([^/\s]+)/", email.body).group(1)
    invitation_accept(token=token, user=None, password="A-long-enough-password-26")
    assert User.objects.get(email="eleri@example.org").language == "cy"


# Django's own Welsh month names, January to December.
WELSH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ]
    )
}


def test_accepting_keeps_a_preference_the_person_chose_themselves(welsh_partnership):
    user = User.objects.create_user("eleri@example.org", DEFAULT_PASSWORD, full_name="Eleri")
    user_language_set(acting_user=user, language="en")
    coordinator = member(welsh_partnership, Role.COORDINATOR, email="cardiff@example.org")
    signed_in(coordinator).post(
        "/p/cardiff/people/invite/",
        {
            "full_name": "Eleri",
            "email": user.email,
            "role": Role.CONTRIBUTOR,
            "organisation": organisation_in(welsh_partnership).pk,
            "language": "cy",
        },
    )
    Invitation.objects.update(token_hash=Invitation.hash_token("known-token"))

    invitation_accept(token="known-token", user=user)

    user.refresh_from_db()
    assert user.language == "en"


def test_an_english_invitation_goes_in_the_language_the_invitee_chose_on_their_account(
    partnership, django_capture_on_commit_callbacks
):
    _welsh_user(email="eleri@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(member(partnership, Role.COORDINATOR)).post(
            "/p/trafford/people/invite/",
            {
                "full_name": "Eleri Jones",
                "email": "eleri@example.org",
                "role": Role.CONTRIBUTOR,
                "organisation": organisation_in(partnership).pk,
            },
        )

    assert mail.outbox[-1].subject == "Fe'ch gwahoddir i Trafford ar CSP Portal"


def test_a_welsh_date_and_welsh_date_labels_on_a_page(welsh_partnership):
    coordinator = member(welsh_partnership, Role.COORDINATOR, email="cardiff@example.org")
    client = signed_in(coordinator)
    client.post(
        "/p/cardiff/people/invite/",
        {
            "full_name": "Eleri Jones",
            "email": "eleri@example.org",
            "role": Role.CONTRIBUTOR,
            "organisation": organisation_in(welsh_partnership).pk,
            "language": "cy",
        },
    )
    user_language_set(acting_user=coordinator, language="cy")

    people = client.get("/p/cardiff/people/").content.decode()
    audit = client.get("/p/cardiff/audit/").content.decode()

    expires = timezone.localtime(Invitation.objects.get().expires_at)
    welsh = f"{expires.day} {sorted(WELSH_MONTHS, key=WELSH_MONTHS.get)[expires.month - 1]}"
    assert f"{welsh} {expires.year}" in people
    for label in ("Diwrnod", "Mis", "Blwyddyn"):  # the audit log's date filter
        assert re.search(rf">\s*{label}\s*</label>", audit), label


def test_an_api_error_detail_is_in_welsh_when_asked_for_in_welsh(client):
    response = client.get("/api/v1/actions/", headers={"accept-language": "cy"})

    assert response.status_code in {401, 403}
    assert response.json()["detail"] == "Ni roddwyd manylion dilysu."
    assert response["Content-Language"] == "cy"


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [("cy", "cy"), ("en", "en"), ("", settings.LANGUAGE_CODE), ("fr", settings.LANGUAGE_CODE)],
)
def test_recipient_language_follows_the_recipient_not_the_request(recipient, expected):
    person = User(email="x@example.org", language=recipient)
    request_language = "cy" if expected != "cy" else "en"
    with translation.override(request_language), recipient_language(person) as language:
        assert language == expected == language_of(person)
        assert translation.get_language() == expected


def test_letters_to_a_case_review_applicant_go_in_the_language_they_applied_in(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    publish_procedure(partnership, coordinator)
    resident = Client()
    resident.cookies[COOKIE] = "cy"
    form = {k: str(v) for k, v in APPLICATION.items()}
    form["application_token"] = "6f1c2f61-8c1e-4a7e-9a7c-1f0a3b3b9e01"
    with django_capture_on_commit_callbacks(execute=True):
        resident.post(reverse("casereviews:apply", args=[partnership.slug]), form)
    case = CaseReview.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the coordinator works in English
        decide(case, coordinator)

    assert case.applicant_language == "cy"
    assert [m.subject for m in mail.outbox] == [
        f"Eich cais am adolygiad achos ymddygiad gwrthgymdeithasol: {case.reference}",
        f"Eich adolygiad achos ymddygiad gwrthgymdeithasol {case.reference}: "
        "a yw'r trothwy wedi'i gyrraedd",
    ]
    assert all(m.body.startswith("Annwyl Sam O'Neill,") for m in mail.outbox)


@pytest.mark.parametrize("actor_language", ["en", "cy"])
def test_an_announcement_is_worded_in_each_recipients_language(partnership, actor_language):
    english = member(partnership, Role.COORDINATOR, email="coordinator@example.org")
    welsh = member(partnership, Role.COORDINATOR, email="cydgysylltydd@example.org")
    user_language_set(acting_user=welsh, language="cy")
    councillor = member(partnership, Role.SCRUTINY, email="cllr@example.org")

    with translation.override(actor_language):  # the language the councillor works in
        information_request_create(
            acting_user=councillor,
            partnership=partnership,
            title="Repeat burglary in Sale",
            question="How many homes were burgled twice in the year?",
            due_date=timezone.localdate() + timedelta(days=28),
        )

    titles = dict(Notification.objects.filter(stage="new").values_list("user__email", "title"))
    assert titles == {
        english.email: "Information for the scrutiny committee: Repeat burglary in Sale",
        welsh.email: "Gwybodaeth ar gyfer y Pwyllgor Craffu: Repeat burglary in Sale",
    }
