"""Time the two slow things of the assessment cycle against baselines measured in the same run.

1. Importing the national table of police recorded crime, against only parsing the same CSV
   with the standard library (the floor any importer pays).
2. Rendering an approved strategic assessment to PDF, against WeasyPrint rendering a plain HTML
   document of the same number of pages (the floor any PDF pays).

Everything it writes is rolled back at the end, so it can run against any database.
"""

import csv
import io
import statistics
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from pypdf import PdfReader

from accounts.models import User
from assessments.documents import assessment_pdf
from assessments.models import SectionKind
from assessments.services import assessments as assessment_services
from authorities.models import Nation, OrganisationKind, PoliceForceArea
from authorities.services import organisation_create
from partnerships.models import Membership, Role, Seat
from partnerships.selectors import membership_for
from partnerships.services import membership_create, partner_organisation_add, partnership_create
from recorded_crime.services import crime_release_import

DEFAULT_FILE = (
    settings.BASE_DIR.parent / "shared" / "data" / "ons" / ("ons_prc_tableC2_csp_ye_jun2025.csv")
)
PARAGRAPH = (
    "Recorded crime in the partnership area fell over the year, while violence against the "
    "person and shoplifting rose. Partners report that anti-social behaviour concentrates in "
    "town centres in the evening, and that drug-related referrals to treatment increased. "
)


class _Rollback(Exception):
    pass


def _median_seconds(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--crime-file", type=Path, default=DEFAULT_FILE)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--paragraphs",
            type=int,
            default=6,
            help="Paragraphs written in each section (makes the document longer).",
        )

    def handle(self, *args, crime_file: Path, repeat: int, paragraphs: int, **options):
        if not crime_file.exists():
            raise CommandError(f"{crime_file} not found; give the ONS Table C2 with --crime-file")
        data = crime_file.read_bytes()
        try:
            with transaction.atomic():
                self._run(data, crime_file.name, repeat, paragraphs)
                raise _Rollback
        except _Rollback:
            self.stdout.write("(everything the benchmark wrote has been rolled back)")

    def _run(self, data: bytes, file_name: str, repeat: int, paragraphs: int) -> None:
        text = data.decode("utf-8-sig")

        def parse_only():
            return sum(1 for _ in csv.reader(io.StringIO(text)))

        def full_import():
            return crime_release_import(acting_user=None, data=data, file_name=file_name)

        parse = _median_seconds(parse_only, repeat)
        imported = _median_seconds(full_import, repeat)
        result = full_import()
        rows = result.csps + result.force_totals + result.context_rows
        self.stdout.write(f"Recorded crime import ({file_name}, {rows} rows, median of {repeat})")
        self.stdout.write(f"  csv.reader only (baseline): {parse * 1000:8.1f} ms")
        self.stdout.write(f"  full import:                {imported * 1000:8.1f} ms")
        self.stdout.write(f"  ratio import / baseline:    {imported / parse:8.1f}x")
        self.stdout.write(f"  rows per second:            {rows / imported:8.0f}")

        assessment = self._approved_assessment(paragraphs)
        pdf = assessment_pdf(assessment)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        ours = _median_seconds(lambda: assessment_pdf(assessment), repeat)
        plain_html = self._plain_document(pages)
        plain = _median_seconds(lambda: _render_plain(plain_html), repeat)
        self.stdout.write(f"Strategic assessment PDF ({pages} pages, median of {repeat})")
        self.stdout.write(f"  plain WeasyPrint, same pages (baseline): {plain * 1000:8.1f} ms")
        self.stdout.write(f"  our assessment PDF:                      {ours * 1000:8.1f} ms")
        self.stdout.write(f"  ratio ours / baseline:                   {ours / plain:8.2f}x")

    def _approved_assessment(self, paragraphs: int):
        force = PoliceForceArea.objects.filter(code="E23000005").first()
        force = force or PoliceForceArea.objects.create(
            code="E23000005", name="Greater Manchester", edition="bench"
        )
        partnership = partnership_create(
            acting_user=None,
            name="Benchmark Trafford",
            slug="benchmark-trafford",
            nation=Nation.ENGLAND,
            ons_code="E22000107",
            ons_edition="bench",
            police_force_area=force,
            districts=[],
        )
        people = {}
        for seat, kind, role in (
            (Seat.LOCAL_AUTHORITY, OrganisationKind.LOCAL_AUTHORITY, Role.COORDINATOR),
            (Seat.POLICE, OrganisationKind.POLICE_FORCE, Role.STRATEGY_MEMBER),
        ):
            organisation = organisation_create(
                acting_user=None, name=f"Benchmark {seat}", kind=kind, nation=Nation.ENGLAND
            )
            partner_organisation_add(
                acting_user=None, partnership=partnership, organisation=organisation, seat=seat
            )
            user = User.objects.create_user(
                f"bench-{role}@example.invalid", None, full_name=f"Benchmark {role}"
            )
            membership_create(
                acting_user=None,
                partnership=partnership,
                user=user,
                role=role,
                organisation=organisation,
            )
            people[role] = user
        coordinator = people[Role.COORDINATOR]
        assessment = assessment_services.assessment_start(
            acting_user=coordinator, partnership=partnership, year_start=2027
        )
        assessment_services.assessment_open_contributions(
            acting_user=coordinator, assessment=assessment
        )
        for section in assessment.sections.all():
            community = section.kind == SectionKind.COMMUNITY
            assessment_services.assessment_section_update(
                acting_user=coordinator,
                section=section,
                revision=section.revision,
                body="\n\n".join([PARAGRAPH * 3] * paragraphs),
                public_meeting_date=date(2026, 11, 12) if community else None,
            )
        for theme in ("vawdasv", "serious_violence", "anti_social_behaviour", "prevent"):
            assessment_services.priority_save(
                acting_user=coordinator,
                assessment=assessment,
                theme=theme,
                rationale=PARAGRAPH,
                evidence=PARAGRAPH,
            )
        assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=assessment
        )
        strategy = people[Role.STRATEGY_MEMBER]
        assessment_services.assessment_approve(
            acting_user=strategy,
            assessment=assessment,
        )
        assert Membership.objects.filter(partnership=partnership).count() == 2
        from assessments.selectors import assessment_page

        return assessment_page(
            membership=membership_for(user=strategy, partnership_slug=partnership.slug),
            assessment_id=assessment.pk,
        )

    def _plain_document(self, pages: int) -> str:
        """Plain HTML with WeasyPrint's default stylesheet, grown until it has ``pages`` pages."""
        paragraphs = 1
        while True:
            html = (
                "<!doctype html><html lang=en><head><title>Plain</title></head><body>"
                + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(paragraphs))
                + "</body></html>"
            )
            count = _page_count(html)
            if count >= pages:
                return html
            paragraphs = max(paragraphs + 1, paragraphs * pages // max(count, 1))


def _render_plain(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _page_count(html: str) -> int:
    import weasyprint

    return len(weasyprint.HTML(string=html).render().pages)
