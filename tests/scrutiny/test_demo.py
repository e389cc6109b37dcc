from accounts.models import User
from demo.partnerships import seed_demo
from demo.scrutiny import seed_scrutiny
from partnerships.models import Partnership
from scrutiny.models import CallForAction, CommitteeReport, InformationRequest, ScrutinyMeeting
from tests.conftest import signed_in


def test_the_demo_shows_the_committees_work_in_trafford_and_cardiff(db):
    seed_demo()  # the partnerships and people only: the rest of the demo is not needed here
    partnerships = {p.ons_code: p for p in Partnership.objects.exclude(ons_code="")}
    seed_scrutiny(partnerships=partnerships)
    seed_scrutiny(partnerships=partnerships)  # a second run changes nothing

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
