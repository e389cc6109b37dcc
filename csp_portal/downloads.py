"""Uploaded documents leave the server only through this: as an attachment, never cached by
anyone but the person who asked, never sniffed into something a browser would run.

Views call it after their own access checks; files have no public URL (there is no MEDIA_URL).
"""

from django.http import FileResponse


def private_attachment(document) -> FileResponse:
    """A stored upload (``file``, ``original_name``, ``content_type``) as a private download."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
