"""The plan's PDFs for members: a page that asks for one and shows how it is getting on, the
download, and a small JSON status for the page's script. Anyone who may see the plan version may
download its documents, and anyone who takes part in the plan may have them made; anyone else
gets 404.

A Welsh partnership's documents come in English and in Welsh (plans.bilingual): the Welsh one at
the same address with ``cy/`` after the kind. Each page lists every document of the version in
both languages; a Welsh one whose Welsh is missing is not offered, and its page says which texts
it waits for."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from csp_portal.pdf import pdf_response
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin

from .. import selectors
from ..bilingual import ENGLISH, WELSH, is_bilingual, languages
from ..documents import document_bytes, document_filename
from ..models import DocumentKind
from ..policies import PlanPolicy, PlanVerb
from ..services.documents import (
    plan_document_request,
    plan_document_state,
    welsh_document_missing,
)

STATUS_FRAGMENT = "plans/documents/includes/status.html"


def document_url(name: str, plan, kind: str, language: str = ENGLISH) -> str:
    """The address of a document's page (``name``), its download or its status; the Welsh
    document's are named ``<name>_cy``."""
    suffix = "_cy" if language == WELSH else ""
    return reverse(
        f"plans:{name}{suffix}",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk, "kind": kind},
    )


def document_label(partnership, kind: str, language: str) -> str:
    """The document's name ("Partnership plan"), saying its language for a Welsh partnership,
    which has two of each ("Partnership plan in Welsh", "Partnership plan in English")."""
    label = DocumentKind(kind).label
    if not is_bilingual(partnership):
        return label
    if language == WELSH:
        return _("%(document)s in Welsh") % {"document": label}
    return _("%(document)s in English") % {"document": label}


class PlanDocumentMixin(PartnershipViewMixin):
    """Resolves ``plan_id`` within what this member may see, ``kind`` and ``language`` (Welsh
    only for a Welsh partnership); 404 otherwise."""

    permission_required = Perm.VIEW_PLANS

    def check_object_access(self) -> None:
        if self.kwargs["kind"] not in DocumentKind.values:
            raise Http404
        self.kind = DocumentKind(self.kwargs["kind"])
        self.language = self.kwargs.get("language", ENGLISH)
        if self.language not in languages(self.partnership):
            raise Http404
        self.plan = selectors.plan_for(membership=self.membership, plan_id=self.kwargs["plan_id"])

    @cached_property
    def welsh_missing(self) -> list:
        """What the Welsh document waits for (nothing for an English one)."""
        if self.language != WELSH:
            return []
        return welsh_document_missing(plan=self.plan, kind=self.kind)

    def url(self, name: str) -> str:
        return document_url(name, self.plan, self.kind, self.language)

    def state(self):
        return plan_document_state(plan=self.plan, kind=self.kind, language=self.language)

    def status_context(self, state) -> dict:
        return {
            "plan": self.plan,
            "kind": self.kind,
            "language": self.language,
            "document_label": document_label(self.partnership, self.kind, self.language),
            "state": state,
            "partnership": self.partnership,
            "page_url": self.url("plan_document"),
            "download_url": self.url("plan_document_download"),
        }


class PlanDocumentView(PlanDocumentMixin, TemplateView):
    template_name = "plans/documents/document.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.state()
        context.update(self.status_context(state))
        context.update(
            # Refreshing by itself is something the visitor turns on (WCAG 2.2.1): see the page.
            refresh=state.pending and self.request.GET.get("refresh") == "on",
            status_url=self.url("plan_document_status"),
            # The Welsh document is not offered while any of its Welsh is missing.
            welsh_missing=self.welsh_missing,
            other_documents=[
                (
                    language,
                    document_label(self.partnership, kind, language),
                    document_url("plan_document", self.plan, kind, language),
                )
                for kind in DocumentKind
                for language in languages(self.partnership)
                if (kind, language) != (self.kind, self.language)
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not PlanPolicy.can(self.membership, PlanVerb.MAKE_DOCUMENT, self.plan):
            raise Http404
        try:
            plan_document_request(
                acting_user=request.user, plan=self.plan, kind=self.kind, language=self.language
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.url("plan_document"))


class PlanDocumentDownloadView(PlanDocumentMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        state = self.state()
        if not state.ready:
            return redirect(self.url("plan_document"))
        # Cache-Control: private, no-store (pdf_response): a plan version's PDF is for members.
        return pdf_response(
            document_bytes(state.document),
            filename=document_filename(self.plan, self.kind, self.language),
        )


class PlanDocumentStatusView(PlanDocumentMixin, View):
    """What the page's script polls: the status, and the status block as the page shows it."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        state = self.state()
        html = render_to_string(STATUS_FRAGMENT, self.status_context(state), request)
        response = JsonResponse({"status": state.status, "pending": state.pending, "html": html})
        response["Cache-Control"] = "private, no-store"
        return response


WELSH_DOCUMENT = {"language": WELSH}

tenant_patterns = [
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/cy/",
        PlanDocumentView.as_view(),
        WELSH_DOCUMENT,
        name="plan_document_cy",
    ),
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/cy/download/",
        PlanDocumentDownloadView.as_view(),
        WELSH_DOCUMENT,
        name="plan_document_download_cy",
    ),
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/cy/status/",
        PlanDocumentStatusView.as_view(),
        WELSH_DOCUMENT,
        name="plan_document_status_cy",
    ),
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/",
        PlanDocumentView.as_view(),
        name="plan_document",
    ),
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/download/",
        PlanDocumentDownloadView.as_view(),
        name="plan_document_download",
    ),
    path(
        "plans/<int:plan_id>/documents/<slug:kind>/status/",
        PlanDocumentStatusView.as_view(),
        name="plan_document_status",
    ),
]
