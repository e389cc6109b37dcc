"""Files for a review: an upload that passes the upload checks, and a document attached to the
review built in ``builders.reviews``.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.services import evidence


def pdf_upload(name="report.pdf", body=b"%PDF-1.7 a report"):
    return SimpleUploadedFile(name, body, "application/pdf")


def attach_document(review, coordinator):
    return evidence.review_document_upload(
        acting_user=coordinator,
        review=review,
        kind="terms_of_reference",
        upload=pdf_upload("Terms of reference.pdf"),
    )


@pytest.fixture
def attached_document(dhr, coordinator):
    return attach_document(dhr, coordinator)
