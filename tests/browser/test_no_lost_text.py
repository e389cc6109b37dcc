"""No lost text and figures like a spreadsheet (issue 15), in a real browser with JavaScript on
and off, axe on every page: the session expires while a coordinator writes, they press Save,
sign in again and the text is back (with JavaScript, the timeout warning first, "Stay signed
in", and an autosaved draft surviving a reload); a police analyst enters 21 wards' figures by
pasting a block copied from a spreadsheet (with JavaScript) or by uploading a CSV after asking
for ten more rows (without)."""

import pytest
from django.contrib.sessions.models import Session

from accounts.services import backup_codes_replace
from assessments.models import ContributionFigure
from assessments.services import assessments as assessment_services
from partnerships.models import Role, Seat

from ..assessments.conftest import send_request
from ..factories import DEFAULT_PASSWORD, PartnershipFactory, member, organisation_in
from .conftest import Visitor, assert_accessible, pass_two_factor, sign_in

pytestmark = pytest.mark.browser

TYPED = "Violence with injury rose by a fifth in the town centre, mostly after midnight."
WARDS = [f"Ward {n}" for n in range(1, 22)]  # Trafford has 21 wards


@pytest.fixture
def trafford(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def coordinator(trafford):
    return member(trafford, Role.COORDINATOR, full_name="Priya Shah")


@pytest.fixture
def assessment(trafford, coordinator):
    return assessment_services.assessment_start(
        acting_user=coordinator, partnership=trafford, year_start=2027
    )


def _sign_in_here(visitor: Visitor, user, code: str) -> None:
    """Sign in on the sign-in page the browser is on (it knows where to go next)."""
    visitor.fill("Email address", user.email)
    visitor.fill("Password", DEFAULT_PASSWORD)
    visitor.click_button("Sign in")
    pass_two_factor(visitor, code)


def test_text_typed_when_the_session_expires_is_back_after_signing_in(
    visitor, coordinator, assessment, settings
):
    codes = backup_codes_replace(acting_user=coordinator)
    sign_in(visitor, coordinator.email, DEFAULT_PASSWORD)
    pass_two_factor(visitor, codes[0])
    page = f"/p/trafford/assessments/{assessment.pk}/sections/changes/"
    text = visitor.page.locator("textarea[name=body]")

    if visitor.java_script_enabled:
        # The warning opens before the session would expire; "Stay signed in" keeps it.
        settings.SESSION_COOKIE_AGE, settings.CSP_TIMEOUT_WARNING_SECONDS = 60, 58
        visitor.open(page)
        text.fill(TYPED)
        dialog = visitor.page.get_by_role("dialog", name="You’re about to be signed out")
        dialog.wait_for(state="visible")
        assert "You will be signed out in" in dialog.locator("[data-announcement]").inner_text()
        assert_accessible(visitor.page)
        settings.SESSION_COOKIE_AGE, settings.CSP_TIMEOUT_WARNING_SECONDS = 1800, 120
        with visitor.page.expect_response("**/account/keep-alive/") as stayed:
            dialog.get_by_role("button", name="Stay signed in").click()
        assert stayed.value.status == 200
        # The page closes the dialog once it has the answer: waited for, as that comes after the
        # response (checked at once, it failed one run); it fails if the dialog stays open.
        dialog.wait_for(state="hidden")
        # The text is autosaved as it is written, and a reload puts it back.
        with visitor.page.expect_response("**/account/drafts/") as autosaved:
            text.fill(TYPED + " ")
        assert autosaved.value.status == 204
        visitor.open(page)
        assert "has been put back in the form" in (
            visitor.page.get_by_test_id("restored-drafts").inner_text()
        )
        assert text.input_value() == TYPED + " "
    else:
        visitor.open(page)
        text.fill(TYPED)

    Session.objects.all().delete()  # 30 minutes without a request
    visitor.click_button("Save section")
    assert visitor.path.startswith("/account/sign-in/")
    assert "What you typed has been kept" in visitor.page.locator("main").inner_text()
    _sign_in_here(visitor, coordinator, codes[1])
    assert visitor.path == page
    assert "What you typed before you were signed out" in (
        visitor.page.locator("main").inner_text()
    )
    assert text.input_value().strip() == TYPED
    assessment.refresh_from_db()
    assert assessment.sections.get(kind="changes").body == ""  # not saved until they say so
    visitor.click_button("Save section")
    assert assessment.sections.get(kind="changes").body.strip() == TYPED


def test_21_wards_of_figures_pasted_or_uploaded(visitor, trafford, coordinator, tmp_path):
    analyst = member(trafford, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    assessment = assessment_services.assessment_open_contributions(
        acting_user=coordinator,
        assessment=assessment_services.assessment_start(
            acting_user=coordinator, partnership=trafford, year_start=2027
        ),
    )
    request = send_request(assessment, coordinator, organisation_in(trafford, Seat.POLICE))
    visitor.sign_in_as(analyst)
    visitor.open(f"/p/trafford/contributions/{request.pk}/")
    visitor.fill("Your answer", "Incidents by ward, 2025/26.")

    if visitor.java_script_enabled:
        # A block copied from a spreadsheet: a header row, tabs, thousands separators.
        block = "Ward\tIncidents\tUnit\n" + "".join(
            f"{ward}\t{1000 + n:,}\tincidents\n" for n, ward in enumerate(WARDS, start=1)
        )
        visitor.page.get_by_label("What it measures (figure 1)", exact=True).evaluate(
            """(input, text) => {
                const data = new DataTransfer();
                data.setData('text/plain', text);
                input.dispatchEvent(new ClipboardEvent('paste', {
                    clipboardData: data, bubbles: true, cancelable: true }));
            }""",
            block,
        )
        assert visitor.page.locator("[data-figure-row]").count() == 21
        status = visitor.page.locator("[data-figures-status]").inner_text()
        assert status == "21 rows pasted into the figures"
        assert visitor.page.get_by_label("Value (figure 21)").input_value() == "1021"
        assert_accessible(visitor.page)
        visitor.click_button("Save draft")
    else:
        visitor.click_button("Add 10 more rows")
        assert visitor.page.locator("[data-figure-row]").count() == 13
        csv = tmp_path / "wards.csv"
        csv.write_text(
            "Ward,Incidents\n"
            + "".join(f'{ward},"{1000 + n:,}"\n' for n, ward in enumerate(WARDS, start=1))
        )
        visitor.page.get_by_label("Upload figures from a CSV file").set_input_files(csv)
        visitor.click_button("Upload figures and save draft")
        assert "21 figures uploaded" in visitor.page.locator("main").inner_text()

    figures = list(ContributionFigure.objects.filter(contribution=request).order_by("position"))
    assert [figure.label for figure in figures] == WARDS
    assert [int(figure.value) for figure in figures] == list(range(1001, 1022))
