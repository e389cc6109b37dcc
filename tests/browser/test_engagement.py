"""A public meeting in a real browser, JavaScript on (axe on every page) and off: the
coordinator plans it from the Assessment menu, records it as held with who of senior position
attended for each responsible authority (the seat table shows the gaps), and finds what was
raised in the community section of the next strategic assessment; published, it is on the public
page, with the seats that attended and not the names. The register of information sharing
agreements and the strategy group's meetings (and their minutes on the public page) are opened at
the end, for axe.
"""

from datetime import date

import pytest

from assessments.services.assessments import assessment_start
from engagement.selectors import financial_year_of
from infosharing.services import agreement_record, returns_open
from partnerships.models import PartnerOrganisation, Role
from strategygroup.services import meeting_publish, meeting_record, meeting_schedule

from ..factories import PartnershipFactory, member
from .conftest import Visitor

pytestmark = pytest.mark.browser


def _date(visitor: Visitor, day: date) -> None:
    visitor.fill("Day", str(day.day))
    visitor.fill("Month", str(day.month))
    visitor.fill("Year", str(day.year))


@pytest.mark.parametrize("java_script_enabled", [True, False], ids=["js", "no-js"])
def test_a_coordinator_records_a_public_meeting_and_it_appears_in_the_next_assessment(
    new_visitor, db
):
    partnership = PartnershipFactory(name="Trafford", slug="trafford")
    coordinator = member(partnership, Role.COORDINATOR, full_name="Priya Shah")
    today = date.today()
    assessment = assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=financial_year_of(today) + 1
    )

    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.open("/p/trafford/")
    visitor.click_link("Assessment", within=visitor.page.get_by_role("navigation", name="Menu"))
    visitor.click_link("Community engagement")
    assert visitor.heading() == "Community engagement"
    visitor.click_link("Plan a public meeting or consultation")
    visitor.page.get_by_label("Public meeting", exact=True).check()
    visitor.fill("Title", "Public meeting, Stretford")
    _date(visitor, today)
    visitor.fill("Where", "Stretford Public Hall")
    visitor.fill("Public notice", "Tell the partnership what worries you.")
    visitor.click_button("Plan the event")
    assert visitor.heading() == "Public meeting, Stretford"

    visitor.click_link("Record what happened")
    _date(visitor, today)
    visitor.fill("People who took part (optional)", "42")
    visitor.fill("What was raised", "Off-road bikes on the canal towpath every evening.")
    for seat, name, position in [
        ("Police", "Supt. Dana Hughes", "District Commander"),
        ("Local authority", "Alex Rowe", "Director of Place"),
        ("Fire and rescue", "Jo Price", "Borough Manager"),
        ("Health", "Sam Ellis", "Deputy Director of Public Health"),
    ]:
        visitor.fill(f"{seat}: name of the senior person who attended", name)
        visitor.fill(f"{seat}: their position", position)
    visitor.click_button("Record the event")
    assert "Event recorded." in visitor.page.locator("main").inner_text()
    seats = visitor.page.get_by_test_id("seats").inner_text()
    assert "Supt. Dana Hughes" in seats and "No one of senior position attended" in seats

    visitor.click_link("All meetings and consultations")
    probation = visitor.page.get_by_test_id("seat-table").locator('[data-seat="probation"]')
    assert probation.inner_text() == "Gap"

    visitor.open(f"/p/trafford/assessments/{assessment.pk}/")
    evidence = visitor.page.get_by_test_id("community-evidence")
    assert "Off-road bikes on the canal towpath" in evidence.inner_text()
    assert "4 of 5 responsible authorities" in evidence.inner_text()
    visitor.click_link("Public meeting, Stretford", within=evidence)
    visitor.click_link("Publish the summary")
    visitor.click_button("Publish the summary")

    public = new_visitor()
    public.open("/community-safety/trafford/meetings/")
    summary = public.page.get_by_test_id("summary").inner_text()
    assert "Off-road bikes" in summary and "Supt. Dana Hughes" not in summary

    # The other new pages, for axe: the register with an agreement and its forms, and the
    # strategy group's meetings with a held meeting and its forms.
    agreement = agreement_record(
        acting_user=coordinator,
        partnership=partnership,
        title="Section 17A figures",
        parties=PartnerOrganisation.objects.filter(partnership=partnership)[:2],
        purpose="Depersonalised figures each quarter",
        legal_basis="Crime and Disorder Act 1998 s17A",
        signed_on=today,
        review_due=today.replace(year=today.year + 1),
    )
    (first_return, *_others) = returns_open(
        acting_user=coordinator, partnership=partnership, year_start=2026, quarter=1
    )
    meeting = meeting_schedule(
        acting_user=coordinator,
        partnership=partnership,
        title="Strategy group, winter",
        meets_on=today,
        agenda="1. The assessment",
    )
    meeting_record(acting_user=coordinator, meeting=meeting, minutes="Agreed.", attendees=[])
    for path in (
        "/p/trafford/information-sharing/",
        "/p/trafford/information-sharing/new/",
        "/p/trafford/information-sharing/returns/",
        "/p/trafford/information-sharing/returns/new/",
        f"/p/trafford/information-sharing/returns/{first_return.pk}/",
        f"/p/trafford/information-sharing/{agreement.pk}/review/",
        "/p/trafford/strategy-group/",
        f"/p/trafford/strategy-group/{meeting.pk}/",
        f"/p/trafford/strategy-group/{meeting.pk}/decisions/new/",
        f"/p/trafford/strategy-group/{meeting.pk}/papers/new/",
    ):
        assert visitor.open(path) == 200, path
    meeting_publish(acting_user=coordinator, meeting=meeting)
    assert visitor.open(f"/p/trafford/strategy-group/{meeting.pk}/publish-public/") == 200
    visitor.click_button("Publish on the public page")
    assert visitor.open("/community-safety/trafford/strategy-group/") == 200
    assert "Agreed." in visitor.page.get_by_test_id("public-minutes").inner_text()
