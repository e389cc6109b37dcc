"""The plan's PDFs for members: a page that asks for one and shows how it is getting on, the
download, and a small JSON status for the page's script. Anyone who may see the plan version may
download its documents, and anyone who takes part in the plan may have them made; anyone else
gets 404."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.generic import TemplateView, View

from csp_portal.pdf import pdf_response
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin

from .. import selectors
from ..documents import document_bytes, document_filename
from ..models import DocumentKind
from ..policies import PlanPolicy, PlanVerb
from ..services.documents import plan_document_request, plan_document_state

STATUS_FRAGMENT = "plans/documents/includes/status.html"


def document_url(name: str, plan, kind: str) -> str:
    return reverse(
        f"plans:{name}",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk, "kind": kind},
    )


class PlanDocumentMixin(PartnershipViewMixin):
    """Resolves ``plan_id`` within what this member may see, and ``kind``; 404 otherwise."""

    permission_required = Perm.VIEW_PLANS

    def check_object_access(self) -> None:
        if self.kwargs["kind"] not in DocumentKind.values:
            raise Http404
        self.kind = DocumentKind(self.kwargs["kind"])
        self.plan = selectors.plan_for(membership=self.membership, plan_id=self.kwargs["plan_id"])

    def status_context(self, state) -> dict:
        return {
            "plan": self.plan,
            "kind": self.kind,
            "state": state,
            "partnership": self.partnership,
            "page_url": document_url("plan_document", self.plan, self.kind),
            "download_url": document_url("plan_document_download", self.plan, self.kind),
        }


class PlanDocumentView(PlanDocumentMixin, TemplateView):
    template_name = "plans/documents/document.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = plan_document_state(plan=self.plan, kind=self.kind)
        context.update(self.status_context(state))
        context.update(
            # Refreshing by itself is something the visitor turns on (WCAG 2.2.1): see the page.
            refresh=state.pending and self.request.GET.get("refresh") == "on",
            status_url=document_url("plan_document_status", self.plan, self.kind),
            other_kinds=[
                (kind, document_url("plan_document", self.plan, kind))
                for kind in DocumentKind
                if kind != self.kind
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not PlanPolicy.can(self.membership, PlanVerb.MAKE_DOCUMENT, self.plan):
            raise Http404
        plan_document_request(acting_user=request.user, plan=self.plan, kind=self.kind)
        return redirect(document_url("plan_document", self.plan, self.kind))


class PlanDocumentDownloadView(PlanDocumentMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        state = plan_document_state(plan=self.plan, kind=self.kind)
        if not state.ready:
            return redirect(document_url("plan_document", self.plan, self.kind))
        # Cache-Control: private, no-store (pdf_response): a plan version's PDF is for members.
        return pdf_response(
            document_bytes(state.document), filename=document_filename(self.plan, self.kind)
        )


class PlanDocumentStatusView(PlanDocumentMixin, View):
    """What the page's script polls: the status, and the status block as the page shows it."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        state = plan_document_state(plan=self.plan, kind=self.kind)
        html = render_to_string(STATUS_FRAGMENT, self.status_context(state), request)
        response = JsonResponse({"status": state.status, "pending": state.pending, "html": html})
        response["Cache-Control"] = "private, no-store"
        return response


tenant_patterns = [
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
