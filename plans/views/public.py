"""The published summary of each partnership's plan, for anyone, without signing in: a page and
its PDF at addresses that stay the same from one published version to the next.

A Welsh partnership's summary comes in English and in Welsh, each at its own address
(``/plans/<slug>/`` and ``/plans/<slug>/cy/``, the PDFs beside them), shown whole in that language
(the labels too, whatever language the visitor chose for the rest of the site), each page naming
the other with ``hreflang``. Two documents rather than one bilingual one: PDF/UA gives a document
one ``/Lang``, and a reader wants one language, not both interleaved.

Only the published version is ever shown. A partnership that does not exist and one without a
published plan both answer the same 404 page. The PDF is made by a worker, like every plan
document, never by the web process for an anonymous visitor: see ``PublicSummaryPdfView``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation
from django.views.generic import TemplateView, View

from assessments.evidence import public_evidence_stamp
from casereviews.selectors import published_procedure
from csp_portal.downloads import private_image
from csp_portal.frozen import frozen_body, frozen_key
from csp_portal.pdf import pdf_response
from csp_portal.site import site_url
from partnerships.models import Partnership
from partnerships.selectors import partnership_identity, partnership_logo

from ..bilingual import ENGLISH, WELSH, is_bilingual
from ..documents import (
    document_bytes,
    document_filename,
    summary_context,
    summary_cover,
    summary_languages,
)
from ..models import DocumentKind, PartnershipPlan
from ..selectors import published_plan, published_plan_head
from ..selectors.documents import (
    NONE,
    document_state,
    partnerships_with_published_plan,
    public_partnership,
)
from ..services.documents import (
    plan_document_state,
    published_summary_freeze,
    published_summary_request,
)

# The summary PDF is the same for everyone: shared caches may keep it a little while. (Not the
# page: its header differs for someone signed in.)
PUBLIC_CACHE_CONTROL = "public, max-age=300"


def _published_plan_or_404(
    partnership: Partnership | None, language: str, *, find=published_plan
) -> PartnershipPlan:
    """The published version (as ``find`` loads it); 404 too when it was not published in
    ``language``."""
    plan = find(partnership=partnership) if partnership else None
    if plan is None:
        raise Http404
    plan = published_summary_freeze(plan=plan)
    if language not in summary_languages(plan):
        raise Http404
    return plan


class InLanguageMixin:
    """A Welsh partnership's summary wholly in the language of its address (``language``, given
    in the URL conf). An English partnership's page follows the visitor's language, as every
    other page does: it has one version only."""

    language = ENGLISH

    def dispatch(self, request, *args, **kwargs):
        # Looked up once, for the page too.
        self.summary_partnership = public_partnership(slug=kwargs["slug"])
        if self.language == ENGLISH and (
            self.summary_partnership is None or not is_bilingual(self.summary_partnership)
        ):
            return super().dispatch(request, *args, **kwargs)
        active = settings.LANGUAGE_CODE if self.language == ENGLISH else self.language
        with translation.override(active):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response.headers["Content-Language"] = self.language
        return response


def summary_url(slug: str, language: str = ENGLISH) -> str:
    name = "plans:public_summary_cy" if language == WELSH else "plans:public_summary"
    return reverse(name, kwargs={"slug": slug})


def _pdf_url(plan: PartnershipPlan, language: str = ENGLISH) -> str:
    name = "plans:public_summary_pdf_cy" if language == WELSH else "plans:public_summary_pdf"
    return reverse(name, kwargs={"slug": plan.partnership.slug})


class PublicIndexView(TemplateView):
    template_name = "plans/public/index.html"

    paginate_by = 50

    def get_context_data(self, **kwargs):
        search = self.request.GET.get("q", "").strip()[:100]
        partnerships = partnerships_with_published_plan(search=search)
        page = Paginator(partnerships, self.paginate_by).get_page(self.request.GET.get("page"))
        kwargs.update(
            partnerships=page.object_list,
            page=page,
            search=search,
            search_query=urlencode({"q": search}) if search else "",
        )
        return super().get_context_data(**kwargs)


class PublicSummaryView(InLanguageMixin, TemplateView):
    template_name = "plans/public/summary.html"

    def get_context_data(self, **kwargs):
        language, slug = self.language, self.kwargs["slug"]
        plan = _published_plan_or_404(self.summary_partnership, language, find=published_plan_head)
        # The summary of a published version is frozen at publication: rendered once per
        # version, language and code, and kept. Its evidence (crime figures) is flagged when
        # figures imported since change it: the latest import is part of the revision.
        key = frozen_key(
            plan,
            revision=f"{plan.content_revision}:{public_evidence_stamp()}",
            stamp=plan.published_at,
            role=f"public-{language}",
        )
        body = frozen_body(
            key=key,
            template_name="plans/public/includes/summary_frozen.html",
            context=lambda: summary_context(
                published_summary_freeze(plan=published_plan(partnership=plan.partnership)),
                language,
            ),
        )
        state = plan_document_state(plan=plan, kind=DocumentKind.SUMMARY, language=language)
        if state.status == NONE:
            # Start making the PDF now, so that it is ready by the time anyone asks for it.
            published_summary_request(plan=plan, language=language)
            state = document_state(plan=plan, kind=DocumentKind.SUMMARY, language=language)
        kwargs.update(
            summary_cover(plan),
            body=body,
            language=language,
            state=state,
            pdf_url=_pdf_url(plan, language),
            # Each version of the page, for hreflang and the link to the other language.
            versions=[
                (code, site_url(summary_url(slug, code))) for code in summary_languages(plan)
            ],
            identity=partnership_identity(partnership=plan.partnership),
            # Its ASB case review procedure and yearly figures, once published (s104(2)(b)).
            asb_case_reviews=published_procedure(slug=plan.partnership.slug) is not None,
        )
        return super().get_context_data(**kwargs)


class PublicLogoView(View):
    """The logo of a partnership with a published plan, for its public summary page: the same
    404 as the page otherwise, and a PNG or JPEG served inline with the private-download headers
    (csp_portal.downloads.private_image)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        partnership = partnerships_with_published_plan().filter(slug=kwargs["slug"]).first()
        logo = partnership_logo(partnership=partnership) if partnership else None
        if logo is None:
            raise Http404
        return private_image(logo, content_type=partnership.logo_content_type)


class PublicSummaryPdfView(InLanguageMixin, View):
    """The summary PDF. Once made (and it is made once per published version) it is served from
    the file. Until then the visitor gets a page that says it is being prepared (202) or that it
    is not available (503): rendering here, for anyone on the internet, would let a burst of
    requests tie up every web worker with WeasyPrint, and the worker makes it in seconds."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        language = self.language
        plan = _published_plan_or_404(self.summary_partnership, language)
        state = plan_document_state(plan=plan, kind=DocumentKind.SUMMARY, language=language)
        if not state.ready and not state.pending:
            published_summary_request(plan=plan, language=language)
            state = document_state(plan=plan, kind=DocumentKind.SUMMARY, language=language)
        if state.ready:
            response = pdf_response(
                document_bytes(state.document),
                filename=document_filename(plan, DocumentKind.SUMMARY, language),
            )
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            return response
        context = {
            "plan": plan,
            "partnership": plan.partnership,
            "state": state,
            "pdf_url": _pdf_url(plan, language),
            "summary_url": summary_url(plan.partnership.slug, language),
            "refresh": state.pending and request.GET.get("refresh") == "on",
        }
        response = render(
            request,
            "plans/public/preparing.html",
            context,
            status=202 if state.pending else 503,
        )
        response["Retry-After"] = "5" if state.pending else "300"
        response["Cache-Control"] = "no-store"
        return response


# Not under /p/<partnership_slug>/: these pages are public, so their argument is named ``slug``
# (tests/test_isolation.py walks every ``partnership_slug`` URL expecting a member-only page).
site_patterns = [
    path("plans/", PublicIndexView.as_view(), name="public_index"),
    path("plans/<slug:slug>/", PublicSummaryView.as_view(), name="public_summary"),
    path(
        "plans/<slug:slug>/summary.pdf", PublicSummaryPdfView.as_view(), name="public_summary_pdf"
    ),
    path(
        "plans/<slug:slug>/cy/",
        PublicSummaryView.as_view(language=WELSH),
        name="public_summary_cy",
    ),
    path(
        "plans/<slug:slug>/cy/summary.pdf",
        PublicSummaryPdfView.as_view(language=WELSH),
        name="public_summary_pdf_cy",
    ),
    path("plans/<slug:slug>/logo/", PublicLogoView.as_view(), name="public_logo"),
]
