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


def _grants_table(page: str) -> str:
    start = page.index('data-testid="grants"')
    return page[start : page.index("</table>", start)]


def test_the_demo_has_grants_with_spend_from_a_mayor_and_a_commissioner(db):
    from accounts.models import User
    from plans.models import CommunitySafetyGrant

    call_command("seed_demo")
    call_command("seed_demo")  # a second run adds nothing

    assert CommunitySafetyGrant.objects.filter(partnership__name="Trafford").count() == 2
    greater_manchester = signed_in(User.objects.get(email="pcc@greatermanchester.example"))
    trafford = _grants_table(greater_manchester.get("/pcc/").content.decode())
    assert "£48,000" in trafford and "£30,000" in trafford and "£11,200" in trafford
    south_wales = signed_in(User.objects.get(email="pcc@southwales.example"))
    cwm_taf = _grants_table(south_wales.get("/pcc/").content.decode())
    grant = CommunitySafetyGrant.objects.get(partnership__slug=cwm_taf_slug())
    spent = sum(item.amount_spent for item in grant.spend_returns.all())
    assert grant.spend_returns.exists()  # every quarter ended so far
    assert "£22,500" in cwm_taf and f"£{spent:,.0f}" in cwm_taf
    page = south_wales.get(f"/p/{grant.partnership.slug}/grants/{grant.pk}/").content.decode()
    assert "South Wales Police and Crime Commissioner" in page


def cwm_taf_slug() -> str:
    from partnerships.models import Partnership

    return Partnership.objects.get(ons_code="W14000023").slug
