"""The contribution form's figures like a spreadsheet (issue 15, item 2): ten more rows without
JavaScript, numbers with thousands separators, a CSV upload that is all or nothing with its
errors by line, and "copy my answer from another partnership's request"."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import ContributionFigure
from assessments.services import contributions as contribution_services
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.services import partner_organisation_add
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, PartnershipFactory, member

from .conftest import send_request

WARDS_CSV = "Ward,Incidents,Unit\n" + "".join(
    f'Ward {n},"{1000 + n:,}",incidents\n' for n in range(1, 22)
)


def contribution_url(request, name="contribution", **kwargs):
    return reverse(
        f"assessments:{name}",
        kwargs={
            "partnership_slug": request.partnership.slug,
            "contribution_id": request.pk,
            **kwargs,
        },
    )


def _post(police_request, **extra):
    return {
        "revision": police_request.revision,
        "answer": "Our answer",
        "figures-TOTAL_FORMS": "1",
        "figures-INITIAL_FORMS": "0",
        "figures-0-label": "Typed row",
        "figures-0-value": "1,204",
        "figures-0-unit": "",
        **extra,
    }


def test_ten_more_rows_without_javascript_and_thousands_separators(police_request, police_officer):
    client = signed_in(police_officer)
    page = contribution_url(police_request)
    more = client.post(page, _post(police_request, action="more_rows"))
    html = more.content.decode()
    assert more.status_code == 200
    assert 'name="figures-TOTAL_FORMS" value="11"' in html  # the typed row and ten more
    assert 'value="Typed row"' in html
    assert not ContributionFigure.objects.exists()  # nothing saved

    saved = client.post(page, _post(police_request, action="save"))
    assert saved.status_code == 302
    assert ContributionFigure.objects.get().value == Decimal("1204")


def test_a_csv_of_21_wards_replaces_the_figures(police_request, police_officer):
    client = signed_in(police_officer)
    upload = SimpleUploadedFile("wards.csv", WARDS_CSV.encode(), content_type="text/csv")
    response = client.post(
        contribution_url(police_request),
        {**_post(police_request), "action": "upload", "figures_csv": upload},
    )
    assert response.status_code == 302
    figures = list(ContributionFigure.objects.order_by("position"))
    assert len(figures) == 21
    assert (figures[0].label, figures[0].value, figures[0].unit) == (
        "Ward 1",
        Decimal("1001"),
        "incidents",
    )
    police_request.refresh_from_db()
    assert police_request.answer == "Our answer"
    assert AuditEvent.objects.filter(action="contribution.save").count() == 1


def test_a_csv_with_wrong_lines_says_which_and_saves_nothing(police_request, police_officer):
    client = signed_in(police_officer)
    bad = "Ward,Incidents\nAltrincham,1204\nBowdon,lots\n,12\nHale,1.234\n"
    upload = SimpleUploadedFile("wards.csv", bad.encode(), content_type="text/csv")
    response = client.post(
        contribution_url(police_request),
        {**_post(police_request), "action": "upload", "figures_csv": upload},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 3: enter the value as a number" in html
    assert "Line 4: say what the figure measures" in html
    assert "Line 5: enter a value with at most 2 decimal places" in html
    assert "Line 2" not in html
    assert "Our answer</textarea>" in html  # what was typed stays on the page
    assert not ContributionFigure.objects.exists()
    police_request.refresh_from_db()
    assert police_request.answer == "" and police_request.revision == 1
    assert not AuditEvent.objects.filter(action="contribution.save").exists()


def test_copy_my_answer_from_another_partnership(
    police_request, police_officer, coordinator, partnership
):
    # The same police force answers a neighbouring partnership's request.
    other = PartnershipFactory(name="Salford", slug="salford", seats=False)
    for seat, organisation in [
        (Seat.POLICE, police_request.organisation),
        (Seat.LOCAL_AUTHORITY, OrganisationFactory(name="Salford City Council")),
    ]:
        partner_organisation_add(
            acting_user=None, partnership=other, organisation=organisation, seat=seat
        )
    other_coordinator = member(other, Role.COORDINATOR, email="coord@salford.example")
    member(other, Role.CONTRIBUTOR, seat=Seat.POLICE, user=police_officer)
    from assessments.services import assessments as assessment_services

    salford = assessment_services.assessment_open_contributions(
        acting_user=other_coordinator,
        assessment=assessment_services.assessment_start(
            acting_user=other_coordinator, partnership=other, year_start=2027
        ),
    )
    source = send_request(salford, other_coordinator, police_request.organisation)
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=source,
        revision=source.revision,
        answer="Incidents rose by a fifth.",
        figures=[("Ward 1", Decimal("1204"), "incidents")],
    )

    client = signed_in(police_officer)
    page = client.get(contribution_url(police_request)).content.decode()
    assert "Copy my answer from Salford" in page
    copy_url = contribution_url(police_request, "contribution_copy", source_id=source.pk)
    assert client.get(copy_url).status_code == 200
    assert client.post(copy_url, {}).status_code == 302
    police_request.refresh_from_db()
    assert police_request.answer == "Incidents rose by a fifth."
    assert list(police_request.figures.values_list("label", "value")) == [
        ("Ward 1", Decimal("1204"))
    ]
    assert AuditEvent.objects.filter(action="contribution.copy").count() == 1


def test_copy_from_a_request_the_person_may_not_see_is_not_found(
    police_request, police_officer, coordinator, open_assessment, council_officer
):
    from tests.factories import organisation_in

    council = organisation_in(police_request.partnership, Seat.LOCAL_AUTHORITY)
    theirs = send_request(open_assessment, coordinator, council, title="Council data")
    contribution_services.contribution_save(
        acting_user=council_officer,
        contribution=theirs,
        revision=theirs.revision,
        answer="The council's answer",
        figures=[],
    )
    client = signed_in(police_officer)
    copy_url = contribution_url(police_request, "contribution_copy", source_id=theirs.pk)
    assert client.get(copy_url).status_code == 404
    assert client.post(copy_url, {}).status_code == 404
    police_request.refresh_from_db()
    assert police_request.answer == ""
    assert not AuditEvent.objects.filter(action="contribution.copy").exists()
