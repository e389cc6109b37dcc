"""Uploads on the object store (CSP_STORAGE=s3): kept in the private bucket, never on the web
node's disk, and streamed back only through the view that checks access."""

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import ContributionDocument
from tests.conftest import signed_in
from tests.object_store import bucket_keys, s3_client

from .test_views import url


def test_an_upload_goes_to_the_bucket_and_comes_back_only_through_the_view(
    s3_bucket, s3_endpoint, media_root, police_request, police_officer, council_officer,
    coordinator_client, partnership,
):  # fmt: skip
    response = signed_in(police_officer).post(
        url("document_add", partnership, contribution_id=police_request.pk),
        {"file": SimpleUploadedFile("Violence profile.pdf", b"%PDF-1.7 in the bucket")},
    )
    assert response.status_code == 302
    document = ContributionDocument.objects.get()
    assert bucket_keys(s3_endpoint, s3_bucket) == [document.file.name]
    assert not media_root.exists() or not any(media_root.rglob("*"))

    download = url(
        "document", partnership, contribution_id=police_request.pk, document_id=document.pk
    )
    served = coordinator_client.get(download)
    assert served.status_code == 200  # streamed, not a redirect to a bucket URL
    assert b"".join(served.streaming_content) == b"%PDF-1.7 in the bucket"
    assert served["Cache-Control"] == "private, no-store"
    assert s3_endpoint not in str(served.headers)
    assert signed_in(council_officer).get(download).status_code == 404

    # No object is made public: its ACL grants nothing to everyone.
    acl = s3_client(s3_endpoint).get_object_acl(Bucket=s3_bucket, Key=document.file.name)
    grantees = [grant["Grantee"].get("URI", "") for grant in acl["Grants"]]
    assert not [
        grantee for grantee in grantees if grantee.endswith(("AllUsers", "AuthenticatedUsers"))
    ]
