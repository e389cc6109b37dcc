"""Write every kind of document the portal makes, from the demonstration data, into one folder,
so that a person can look at them all at once: ``manage.py render_samples DIR``.

For each demonstration partnership and each language the site offers (``settings.LANGUAGES``):
the partnership plan and its published summary, the latest issued progress report, the latest
strategic assessment, and each domestic homicide review's executive summary and action plan.
The files are named ``<language>/<partnership>-<kind>.pdf``, and ``index.txt`` lists each with
its pages and size. Only the demonstration partnerships are read (their reviews are fictional):
this never writes a real partnership's review to disk.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from pypdf import PdfReader

from assessments.documents import assessment_pdf
from assessments.models import StrategicAssessment
from assessments.selectors import assessment_page
from demo.partnerships import SEATS
from partnerships.models import Membership, Partnership, Role
from plans.documents import progress_report_pdf, render_document
from plans.models import DocumentKind, PartnershipPlan, ProgressReport
from plans.selectors.documents import plan_for_rendering
from plans.selectors.reports import report_view
from reviews.documents import action_plan_pdf, executive_summary_pdf
from reviews.models import DomesticHomicideReview


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write the PDFs.")

    def handle(self, *args, directory: Path, **options):
        partnerships = list(Partnership.objects.filter(ons_code__in=SEATS).order_by("name"))
        if not partnerships:
            raise CommandError("No demonstration data: run `manage.py seed_demo` first.")
        written = []
        for language, _name in settings.LANGUAGES:
            folder = directory / language
            folder.mkdir(parents=True, exist_ok=True)
            with translation.override(language):
                for partnership in partnerships:
                    for kind, render in self._documents(partnership):
                        path = folder / f"{partnership.slug}-{kind}.pdf"
                        path.write_bytes(render())
                        written.append(path)
                        self.stdout.write(f"  {path}")
        lines = []
        for path in written:
            pages, size = len(PdfReader(path).pages), path.stat().st_size
            lines.append(f"{path.relative_to(directory)}\t{pages} pages\t{size} bytes")
        (directory / "index.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{len(written)} documents written to {directory}"))

    def _documents(self, partnership: Partnership):
        """(kind, render) for each document the partnership's demonstration data has."""
        plan = PartnershipPlan.objects.filter(partnership=partnership).order_by("-pk").first()
        if plan is not None:
            for kind in (DocumentKind.PLAN, DocumentKind.SUMMARY):
                yield (
                    f"plan-{kind}",
                    lambda kind=kind: render_document(plan_for_rendering(plan_id=plan.pk), kind),
                )
        report = (
            ProgressReport.objects.filter(partnership=partnership).order_by("-issued_at").first()
        )
        if report is not None:
            yield "progress-report", lambda: progress_report_pdf(report_view(report))
        assessment = (
            StrategicAssessment.objects.filter(partnership=partnership).order_by("-pk").first()
        )
        coordinator = (
            Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR)
            .select_related("partnership")
            .first()
        )
        if assessment is not None and coordinator is not None:
            yield (
                "strategic-assessment",
                lambda: assessment_pdf(
                    assessment_page(membership=coordinator, assessment_id=assessment.pk)
                ),
            )
        for review in DomesticHomicideReview.objects.filter(partnership=partnership).order_by("pk"):
            reference = review.reference.lower().replace("/", "-").replace(" ", "-")
            yield f"review-{reference}-executive-summary", lambda r=review: executive_summary_pdf(r)
            yield f"review-{reference}-action-plan", lambda r=review: action_plan_pdf(r)
