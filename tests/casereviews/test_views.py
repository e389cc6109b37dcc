"""ASB case review pages through the test client: the public form without JavaScript, the public
page's procedure and figures, need-to-know on the members' pages, and the list's query count."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casereviews.models import CaseReadLog, CaseReview
from partnerships.models import Role
from tests.conftest import signed_in
from tests.factories import member

from .builders import APPLICATION, apply, concluded, decide, publish_procedure


@pytest.fixture
def procedure(partnership, coordinator):
    return publish_procedure(partnership, coordinator, threshold_complaints=2)


def _form(**changes):
    return {
        **{k: str(v) for k, v in APPLICATION.items()},
        "application_token": "6f1c2f61-8c1e-4a7e-9a7c-1f0a3b3b9e01",
        **changes,
    }


def test_a_resident_applies_without_javascript_and_sees_a_reference(
    partnership, procedure, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=True)
    url = reverse("casereviews:apply", args=[partnership.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "reported at least 2 times in the last six months" in page.content.decode()
    csrf = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(csrfmiddlewaretoken=csrf), follow=True)
    case = CaseReview.objects.get()
    assert case.reference in response.content.decode()
    assert "We have sent a confirmation to sam@example.org" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    # The back button and "resend": still one application, the same reference shown.
    again = client.post(url, _form(csrfmiddlewaretoken=csrf), follow=True)
    assert CaseReview.objects.count() == 1 and case.reference in again.content.decode()


def test_the_form_refuses_bad_input_field_by_field(partnership, procedure):
    response = Client().post(
        reverse("casereviews:apply", args=[partnership.slug]),
        _form(applicant_email="not-an-email", complaints_made="three", behaviour=""),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter an email address in the correct format" in text
    assert "Enter the number of reports as a number" in text
    assert "Describe the anti-social behaviour" in text
    assert CaseReview.objects.count() == 0


def test_a_script_that_fills_the_hidden_box_makes_nothing(partnership, procedure):
    response = Client().post(
        reverse("casereviews:apply", args=[partnership.slug]), _form(website="http://spam")
    )
    assert response.status_code == 400
    assert CaseReview.objects.count() == 0 and mail.outbox == []


def test_a_post_without_the_csrf_token_is_refused(partnership, procedure):
    response = Client(enforce_csrf_checks=True).post(
        reverse("casereviews:apply", args=[partnership.slug]), _form()
    )
    assert response.status_code == 403
    assert CaseReview.objects.count() == 0


def test_too_many_applications_from_one_address_are_asked_to_wait(partnership, procedure, settings):
    settings.CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR = 1
    url = reverse("casereviews:apply", args=[partnership.slug])
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(url, _form())
    response = client.post(url, _form(application_token="0b7e9a1d-6c6f-4d8e-8f0a-2f4c9b1e7a55"))
    assert response.status_code == 429
    assert "Too many applications have been sent from here" in response.content.decode()
    assert CaseReview.objects.count() == 1


def test_the_public_page_shows_the_procedure_and_the_yearly_figures(
    partnership, coordinator, procedure
):
    concluded(partnership, coordinator)
    decide(apply(partnership), coordinator, met=False)
    response = Client().get(reverse("casereviews:public", args=[partnership.slug]))
    text = response.content.decode()
    assert "at least 2 times in the 6 months before you apply" in text
    assert "The chair of the partnership reviews the appeal" in text
    assert "We keep your case for 6 years after it is finished" in text
    figures = text.split('data-testid="figures"')[1].split("</table>")[0]
    assert [cell.split(">")[-1] for cell in figures.split("</td>")[:-1]] == [
        "2",
        "1",
        "1",
        "1",
        "1",
    ]
    assert "Sam" not in text


def test_no_public_page_or_form_until_the_procedure_is_published(partnership, other_partnership):
    for name in ("casereviews:public", "casereviews:apply", "casereviews:applied"):
        assert Client().get(reverse(name, args=[other_partnership.slug])).status_code == 404


def test_only_those_granted_a_case_see_the_applicant_and_each_read_is_logged(
    partnership, coordinator, procedure
):
    case = apply(partnership)
    colleague = member(partnership, Role.STRATEGY_MEMBER)
    detail = reverse("casereviews:detail", args=[partnership.slug, case.pk])
    listing = reverse("casereviews:list", args=[partnership.slug])

    assert signed_in(colleague).get(detail).status_code == 404
    counts = signed_in(colleague).get(listing).content.decode()
    assert case.reference not in counts and "Sam" not in counts
    assert '>Received</th><td class="govuk-table__cell govuk-table__cell--numeric">1<' in counts
    assert not CaseReadLog.objects.exists()

    page = signed_in(coordinator).get(detail).content.decode()
    assert "Sam O&#x27;Neill" in page and "sam@example.org" in page
    assert list(CaseReadLog.objects.values_list("user", "case")) == [(coordinator.pk, case.pk)]


def test_the_coordinator_records_the_decision_on_the_page(partnership, coordinator, procedure):
    case = apply(partnership)
    client = signed_in(coordinator)
    url = reverse("casereviews:threshold", args=[partnership.slug, case.pk])
    refused = client.post(url, {"met": "", "reasons": ""})
    assert refused.status_code == 400
    assert "Select whether it is met" in refused.content.decode()
    response = client.post(url, {"met": "yes", "reasons": "Three reports."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.threshold_met is True


def test_the_case_list_reads_in_a_fixed_number_of_queries(partnership, coordinator, procedure):
    client = signed_in(coordinator)
    url = reverse("casereviews:list", args=[partnership.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    apply(partnership)
    queries()  # the first visit to a partnership's page writes the session once
    few = queries()
    for _ in range(5):
        concluded(partnership, coordinator)
    assert queries() == few
    assert few <= 8


def test_the_coordinator_runs_a_case_through_its_pages(
    partnership, coordinator, procedure, django_capture_on_commit_callbacks
):
    from casereviews.models import CaseAccessGrant
    from partnerships.models import Seat
    from tests.factories import organisation_in

    case = apply(partnership)
    decide(case, coordinator)
    client = signed_in(coordinator)
    police = organisation_in(partnership, Seat.POLICE)

    def url(name, *more):
        return reverse(f"casereviews:{name}", args=[partnership.slug, case.pk, *more])

    def post(name, data, *more):
        response = client.post(url(name, *more), data)
        assert response.status_code == 302, response.content.decode()[:2000]

    today = timezone.localdate()
    day = {"day": today.day, "month": today.month, "year": today.year}
    post(
        "meeting",
        {
            **{f"meeting_date_{i}": v for i, v in enumerate(day.values())},
            "findings": "Reports were handled apart.",
        },
    )
    post("response", {"organisation": police.pk, "response": "Two visits."})
    later = today + timedelta(days=30)
    post(
        "recommendation",
        {
            "recommendation": "A joint visit.",
            "owner": police.pk,
            "due_date_0": later.day,
            "due_date_1": later.month,
            "due_date_2": later.year,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        post("conclude", {})
    assert "A joint visit." in mail.outbox[-1].body
    recommendation = case.recommendations.get()
    post("recommendation_complete", {}, recommendation.pk)
    post(
        "appeal",
        {**{f"received_on_{i}": v for i, v in enumerate(day.values())}, "grounds": "Not heard."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        post("appeal_decision", {"upheld": "no", "reasons": "The review was thorough."})
    assert "Your appeal is not upheld." in mail.outbox[-1].body

    officer = member(partnership, Role.CONTRIBUTOR, full_name="Olu Officer")
    from partnerships.models import Membership

    officer_membership = Membership.objects.get(user=officer)
    post("access", {"membership": officer_membership.pk, "reason": "agency"})
    page = signed_in(officer).get(url("detail")).content.decode()
    assert "Sam O&#x27;Neill" in page and "Record an appeal" not in page
    reads = client.get(url("access")).content.decode().split('data-testid="reads"')[1]
    assert officer.email in reads
    grant = CaseAccessGrant.objects.get(user=officer)
    post("access_remove", {}, grant.pk)
    assert signed_in(officer).get(url("detail")).status_code == 404

    case.refresh_from_db()
    recommendation.refresh_from_db()
    assert case.status == "appeal_decided" and recommendation.completed_on == today
    assert case.letters.count() == 4


def test_someone_granted_a_case_must_pass_two_factor_before_reading_it(
    partnership, coordinator, procedure
):
    from casereviews.models import CaseAccessGrant

    case = apply(partnership)
    officer = member(partnership, Role.CONTRIBUTOR)
    CaseAccessGrant.objects.create(case=case, user=officer, reason="agency")
    client = signed_in(officer, verified=False)
    response = client.get(reverse("casereviews:detail", args=[partnership.slug, case.pk]))
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert not CaseReadLog.objects.exists()


def test_the_coordinator_edits_and_publishes_the_procedure(partnership, coordinator):
    from casereviews.models import ReviewProcedure

    client = signed_in(coordinator)
    url = reverse("casereviews:procedure", args=[partnership.slug])
    assert client.get(url).status_code == 200
    fields = {
        "threshold_complaints": "4",
        "other_grounds": "",
        "contact": "Town Hall",
        "contact_email": "asb@example.org",
        "decision_days": "14",
        "review_days": "28",
        "appeal_reviewer": "The chair",
        "appeal_window_days": "20",
        "appeal_decision_days": "20",
        "publish": "on",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 400
    assert "at most three complaints (section 104(4))" in refused.content.decode()
    assert not ReviewProcedure.objects.exists()
    assert client.post(url, {**fields, "threshold_complaints": "2"}).status_code == 302
    assert ReviewProcedure.objects.get().published_at is not None
    strategy = signed_in(member(partnership, Role.STRATEGY_MEMBER))
    assert strategy.get(url).status_code == 404
