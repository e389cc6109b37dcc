"""The review's executive summary and action plan as tagged PDF/UA documents.

They name people only by pseudonym, agencies by their organisations' names, and nobody who
worked on the review (not even the independent chair). Until the review is published they are
marked OFFICIAL-SENSITIVE on every page.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csp_portal.pdf import pdf_response, render_pdf
from partnerships.identity import document_identity

from .models import DomesticHomicideReview, RecommendationStatus
from .selectors.evidence import chronology_summary
from .selectors.exports import review_for_export


def is_published(review: DomesticHomicideReview) -> bool:
    return review.published_on is not None


def _common(review: DomesticHomicideReview, title: str) -> dict:
    published = is_published(review)
    return {
        "review": review,
        "partnership": review.partnership,
        "identity": document_identity(review.partnership),
        "document_title": title,
        "protective_marking": "" if published else _("OFFICIAL-SENSITIVE"),
        "status_line": (
            _("Published on %(date)s") % {"date": date_format(review.published_on, "j F Y")}
            if published
            else _("Not published: %(status)s") % {"status": review.get_status_display().lower()}
        ),
    }


def executive_summary_pdf(review: DomesticHomicideReview) -> bytes:
    review = review_for_export(review=review)
    summary = chronology_summary(review=review)
    contents = [
        ("about", _("About this review")),
        ("decision", _("The decision to review")),
        ("terms-of-reference", _("Terms of reference")),
        ("chronology", _("Summary of the combined chronology")),
        ("recommendations", _("Recommendations")),
    ]
    return render_pdf(
        template_name="reviews/exports/executive_summary_pdf.html",
        context={
            **_common(
                review,
                # The summary's name is the type's (a learning summary for a single unified
                # safeguarding review).
                _("%(document)s: %(review_type)s %(reference)s")
                % {
                    "document": review.review_type.executive_summary_title,
                    "review_type": review.review_type.get_code_display().lower(),
                    "reference": review.reference,
                },
            ),
            "contents": contents,
            "chronology_summary": summary,
            "chronology_total": sum(row["count"] for row in summary),
            "agency_requests": list(review.agency_requests.all()),
            "recommendations": list(review.recommendations.all()),
        },
    )


def action_plan_pdf(review: DomesticHomicideReview) -> bytes:
    review = review_for_export(review=review)
    recommendations = list(review.recommendations.all())
    counts = {status: 0 for status in RecommendationStatus.values}
    for line in recommendations:
        counts[line.status] += 1
    return render_pdf(
        template_name="reviews/exports/action_plan_pdf.html",
        context={
            **_common(
                review,
                _("Action plan: %(review_type)s %(reference)s")
                % {
                    "review_type": review.review_type.get_code_display().lower(),
                    "reference": review.reference,
                },
            ),
            "contents": [
                ("summary", _("Progress at a glance")),
                ("actions", _("Recommendations and actions")),
            ],
            "recommendations": recommendations,
            "status_counts": [
                (RecommendationStatus(status).label, count) for status, count in counts.items()
            ],
        },
    )


# The exports a review offers, by the slug in their URL.
EXPORTS: dict[str, tuple[Promise, Callable[[DomesticHomicideReview], bytes]]] = {
    "executive-summary": (gettext_lazy("Executive summary"), executive_summary_pdf),
    "action-plan": (gettext_lazy("Action plan"), action_plan_pdf),
}


def export_response(review: DomesticHomicideReview, export: str) -> HttpResponse:
    label, render = EXPORTS[export]
    filename = slugify(f"{review.reference} {label}")
    return pdf_response(render(review), filename=f"{filename}.pdf")
