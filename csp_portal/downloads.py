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
    return _private(response)


def private_image(file, *, content_type: str) -> FileResponse:
    """A stored image (PNG or JPEG only: never SVG, which a browser would run) shown in a page's
    ``<img>``: inline, with the same headers, and no power to do anything if opened on its own."""
    if content_type not in {"image/png", "image/jpeg"}:
        raise ValueError(f"Not an image this site serves: {content_type}")
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


def _private(response: FileResponse) -> FileResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
