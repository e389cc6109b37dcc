"""The strategic assessment as a tagged PDF: the same data as its page, through the print layout."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from csp_portal.pdf import LONG, pdf_response, render_pdf
from partnerships.consultation import comment_counts
from partnerships.identity import document_identity
from recorded_crime.selectors import crime_profile

from .community import community_evidence
from .models import SectionKind, StrategicAssessment


def ordered_sections(assessment: StrategicAssessment) -> list:
    """The sections in the order the statute lists them (prefetched rows, sorted in Python)."""
    order = {kind: index for index, kind in enumerate(SectionKind.values)}
    return sorted(assessment.sections.all(), key=lambda section: order[section.kind])


def assessment_pdf(assessment: StrategicAssessment) -> bytes:
    sections = ordered_sections(assessment)
    contents = [(f"section-{section.kind}", section.get_kind_display()) for section in sections]
    contents.append(("priorities", _("Recommended priorities")))
    contents.append(("contributions", _("Partner contributions")))
    if assessment.is_approved:
        contents.append(("sign-off", _("Sign-off")))
    requests = [
        request
        for request in assessment.contribution_requests.all()
        if request.status == "accepted"
    ]
    return render_pdf(
        template_name="assessments/assessment_pdf.html",
        layout=LONG,
        context={
            "assessment": assessment,
            "partnership": assessment.partnership,
            "identity": document_identity(assessment.partnership),
            "document_title": _("Strategic assessment %(year)s") % {"year": assessment.year_label},
            "period": assessment.year_label,
            "version": assessment.version,
            "protective_marking": "" if assessment.is_approved else _("DRAFT"),
            "approved_on": assessment.approved_at,
            "approved_by": assessment.approved_by_name,
            "status_line": ""
            if assessment.is_approved
            else _("Draft: %(status)s") % {"status": assessment.get_status_display().lower()},
            "contents": contents,
            "sections": sections,
            "priorities": list(assessment.priorities.all()),
            "accepted_requests": requests,
            "crime_profile": crime_profile(partnership=assessment.partnership),
            "crime_kind": SectionKind.CRIME_LEVELS,
            "community_kind": SectionKind.COMMUNITY,
            # Linked as evidence in the community section, as on the page (issue 20).
            "community_evidence": community_evidence(assessment),
            "consultation": comment_counts(assessment.comments.all()),
        },
    )


def assessment_pdf_response(assessment: StrategicAssessment) -> HttpResponse:
    filename = slugify(
        f"{assessment.partnership.name} strategic assessment {assessment.year_label} "
        f"v{assessment.version}"
    )
    return pdf_response(assessment_pdf(assessment), filename=f"{filename}.pdf")
