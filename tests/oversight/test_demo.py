from django.core.management import call_command

from oversight.models import ReportRequest
from plans.models import PoliceAndCrimePlanPriority
from tests.conftest import signed_in


def test_the_demo_gives_each_pcc_office_a_force_area_page(db):
    from accounts.models import User

    call_command("seed_demo")
    call_command("seed_demo")

    south_wales = signed_in(User.objects.get(email="pcc@southwales.example")).get("/pcc/")
    page = south_wales.content.decode()
    assert "Cardiff" in page and "Cwm Taf" in page
    assert "Tackling violence against women and girls" in page
    greater_manchester = signed_in(User.objects.get(email="pcc@greatermanchester.example"))
    assert "Keeping people safe" in greater_manchester.get("/pcc/").content.decode()
    request = ReportRequest.objects.get(partnership__name="Trafford")
    assert request.status == "requested"
    # South Wales asked Cardiff, which answered: the office has an answer to read.
    answered = ReportRequest.objects.get(partnership__name="Cardiff")
    assert answered.status == "answered"
    assert (
        PoliceAndCrimePlanPriority.objects.filter(police_force_area__name="South Wales").count()
        == 4
    )
