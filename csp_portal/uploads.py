"""Checks on documents people attach: an allowed type, by name and by content, and a size limit.

Written here rather than with python-magic because the allowed list is short and each type has a
fixed signature; libmagic would add a system dependency to tell us the same thing.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
# extension -> (content type, signatures the file must start with; empty means UTF-8 text)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".csv": ("text/csv", ()),
    ".txt": ("text/plain", ()),
}


def allowed_extensions_text() -> str:
    return ", ".join(extension.lstrip(".").upper() for extension in ALLOWED_TYPES)


def display_name(name: str) -> str:
    """The file's own name without any path a browser sent, for showing, never for storing."""
    return PurePath(name.replace("\\", "/")).name[:200] or "document"


def checked_content_type(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; a ValidationError on the file field otherwise."""
    if upload.size == 0:
        raise ValidationError({"file": _("The selected file is empty")})
    if upload.size > settings.CSP_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The selected file must be smaller than %(limit)s")
                % {"limit": filesizeformat(settings.CSP_UPLOAD_MAX_BYTES)}
            }
        )
    extension = PurePath(upload.name.lower()).suffix
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _("The selected file must be a %(types)s")
                % {"types": allowed_extensions_text()}
            }
        )
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if signatures:
        matches = any(head.startswith(signature) for signature in signatures)
    else:
        try:
            head.decode("utf-8")
            matches = b"\x00" not in head
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 4096th byte is still text.
            matches = error.start >= len(head) - 3
    if not matches:
        raise ValidationError(
            {
                "file": _("The selected file is not a real %(type)s file")
                % {"type": extension.lstrip(".").upper()}
            }
        )
    return content_type
