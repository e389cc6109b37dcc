"""The review's evidence and files: agency requests and their answers, the combined chronology,
attached documents, and the exports (executive summary and action plan as PDFs).

Everything here is reached through ``ReviewMixin``: without a grant on the review, every page
answers 404, and so does each page whose verb ReviewPolicy does not give the reader. Answering a
request is for the agency authors of the organisation asked; those who run the review and the
panel read every request, an author only their own organisation's. Every page showing review
content, every download and every export is logged as a read.
"""

from django.contrib import messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from csp_portal.downloads import private_attachment

from .. import selectors
from ..documents import EXPORTS, export_response
from ..forms import evidence as forms
from ..policies import ReviewVerb
from ..selectors import evidence as evidence_selectors
from ..services import evidence
from .base import ReviewFormView, ReviewMixin

V = ReviewVerb


def _request_url(agency_request) -> str:
    review = agency_request.review
    return reverse(
        "reviews:agency_request",
        kwargs={
            "partnership_slug": review.partnership.slug,
            "review_id": review.pk,
            "request_id": agency_request.pk,
        },
    )


def _review_url(view) -> str:
    return reverse(
        "reviews:detail",
        kwargs={"partnership_slug": view.partnership.slug, "review_id": view.review.pk},
    )


class AgencyRequestCreateView(ReviewFormView):
    """Someone running the review asks an agency of the partnership for its chronology or IMR."""

    verb = V.REQUEST_EVIDENCE
    template_name = "reviews/form_page.html"
    form_class = forms.AgencyRequestForm

    def get_form_kwargs(self):
        organisations = selectors.partnership_organisations(partnership=self.partnership)
        return {**super().get_form_kwargs(), "organisations": organisations}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Ask an agency for its chronology or IMR"),
            intro=_("The agency's named authors answer inside the review."),
            cancel_url=_review_url(self),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.created = evidence.agency_request_create(
            acting_user=self.request.user,
            review=self.review,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(
            self.request,
            _("%(organisation)s has been asked for its %(kind)s.")
            % {
                "organisation": self.created.organisation.name,
                "kind": self.created.get_kind_display().lower(),
            },
        )


class AgencyRequestMixin(ReviewMixin):
    """Resolves ``request_id`` within the review: 404 if it is another review's, or if the
    reader may not read (or, on the pages that write it, answer) this request."""

    verb = V.READ_EVIDENCE

    @cached_property
    def agency_request(self):
        return evidence_selectors.agency_request_for(
            review=self.review, request_id=self.kwargs["request_id"]
        )

    def verb_object(self):
        return self.agency_request

    def get_context_data(self, **kwargs):
        kwargs.setdefault("agency_request", self.agency_request)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _request_url(self.agency_request)


class AgencyRequestView(AgencyRequestMixin, TemplateView):
    template_name = "reviews/evidence/request.html"

    @property
    def read_label(self) -> str:
        return _("Agency request: %(kind)s, %(organisation)s") % {
            "kind": self.agency_request.get_kind_display(),
            "organisation": self.agency_request.organisation.name,
        }

    def get_context_data(self, **kwargs):
        agency_request = self.agency_request
        kwargs.update(
            entries=list(agency_request.entries.all()),
            imr_documents=list(agency_request.documents.all()),
            # What may be done to this request (the page's ``may`` is the review's).
            request_may=self.access.may(agency_request),
        )
        return super().get_context_data(**kwargs)


class ChronologyEntryAddView(AgencyRequestMixin, ReviewFormView):
    verb = V.ANSWER_REQUEST
    template_name = "reviews/form_page.html"
    form_class = forms.ChronologyEntryForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Add to the chronology of %(organisation)s")
            % {"organisation": self.agency_request.organisation.name},
            intro=_("One contact or event per entry. Any date up to today."),
            cancel_url=_request_url(self.agency_request),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        evidence.chronology_entry_add(
            acting_user=self.request.user,
            agency_request=self.agency_request,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Entry added."))


class ImrUploadView(AgencyRequestMixin, ReviewFormView):
    verb = V.ANSWER_REQUEST
    template_name = "reviews/form_page.html"
    form_class = forms.ImrUploadForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Upload the IMR of %(organisation)s")
            % {"organisation": self.agency_request.organisation.name},
            cancel_url=_request_url(self.agency_request),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        document = evidence.imr_upload(
            acting_user=self.request.user,
            agency_request=self.agency_request,
            upload=form.cleaned_data["file"],
            submission=self.submission,
        )
        messages.success(self.request, _("%(name)s uploaded.") % {"name": document.original_name})


class AgencyRequestSubmitView(AgencyRequestMixin, ReviewFormView):
    verb = V.ANSWER_REQUEST
    template_name = "reviews/form_page.html"
    form_class = forms.ConfirmForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Submit")}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Submit the %(kind)s of %(organisation)s?")
            % {
                "kind": self.agency_request.get_kind_display().lower(),
                "organisation": self.agency_request.organisation.name,
            },
            intro=_("Once submitted it can no longer be changed."),
            cancel_url=_request_url(self.agency_request),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        evidence.agency_request_submit(
            acting_user=self.request.user, agency_request=self.agency_request
        )
        messages.success(self.request, _("Submitted."))


class CombinedChronologyView(ReviewMixin, TemplateView):
    template_name = "reviews/evidence/chronology.html"
    verb = V.READ_EVIDENCE
    read_label = gettext_lazy("Combined chronology")

    def get_context_data(self, **kwargs):
        kwargs["entries"] = list(evidence_selectors.combined_chronology(review=self.review))
        return super().get_context_data(**kwargs)


class DocumentsView(ReviewFormView):
    """The review's documents, and attaching another."""

    template_name = "reviews/exports/documents.html"
    form_class = forms.ReviewDocumentForm
    verb = V.READ_EVIDENCE
    post_verb = V.UPLOAD_DOCUMENT
    read_label = gettext_lazy("Documents")

    def get_context_data(self, **kwargs):
        kwargs["documents"] = list(evidence_selectors.review_documents(review=self.review))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        document = evidence.review_document_upload(
            acting_user=self.request.user,
            review=self.review,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            submission=self.submission,
        )
        messages.success(self.request, _("%(name)s uploaded.") % {"name": document.original_name})

    def get_success_url(self):
        return reverse(
            "reviews:documents",
            kwargs={"partnership_slug": self.partnership.slug, "review_id": self.review.pk},
        )


class DocumentDownloadView(ReviewMixin, View):
    """The only way to a review's file: after the access check, logged, never cached."""

    http_method_names = ["get"]
    verb = V.READ_EVIDENCE

    @cached_property
    def document(self):
        return evidence_selectors.review_document_for(
            review=self.review, review_document_id=self.kwargs["review_document_id"]
        )

    def verb_object(self):
        return self.document

    def get(self, request, *args, **kwargs):
        document = self.document
        self.log_read(_("Document: %(name)s") % {"name": document.original_name})
        return private_attachment(document)


class ExportView(ReviewMixin, View):
    """The executive summary or the action plan as a PDF; every export is logged as a read."""

    http_method_names = ["get"]
    verb = V.EXPORT

    def check_object_access(self):
        super().check_object_access()
        if self.kwargs["export"] not in EXPORTS:
            raise Http404

    def get(self, request, *args, **kwargs):
        export = self.kwargs["export"]
        label, _render = EXPORTS[export]
        self.log_read(_("Export: %(document)s (PDF)") % {"document": label})
        return export_response(self.review, export)


tenant_patterns = [
    path(
        "reviews/<int:review_id>/requests/new/",
        AgencyRequestCreateView.as_view(),
        name="agency_request_create",
    ),
    path(
        "reviews/<int:review_id>/requests/<int:request_id>/",
        AgencyRequestView.as_view(),
        name="agency_request",
    ),
    path(
        "reviews/<int:review_id>/requests/<int:request_id>/entries/new/",
        ChronologyEntryAddView.as_view(),
        name="chronology_entry_add",
    ),
    path(
        "reviews/<int:review_id>/requests/<int:request_id>/imr/",
        ImrUploadView.as_view(),
        name="imr_upload",
    ),
    path(
        "reviews/<int:review_id>/requests/<int:request_id>/submit/",
        AgencyRequestSubmitView.as_view(),
        name="agency_request_submit",
    ),
    path(
        "reviews/<int:review_id>/chronology/",
        CombinedChronologyView.as_view(),
        name="chronology",
    ),
    path("reviews/<int:review_id>/documents/", DocumentsView.as_view(), name="documents"),
    path(
        "reviews/<int:review_id>/documents/<int:review_document_id>/",
        DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("reviews/<int:review_id>/exports/<slug:export>/", ExportView.as_view(), name="export"),
]
