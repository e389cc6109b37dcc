"""A partnership's public identity: the name, logo and accent colour its documents and public pages
carry.

Two rules live here, so that the service and the form give the same reasons:

- **The logo** is a PNG or JPEG, checked by Pillow (not by its name): at most ``LOGO_MAX_BYTES``,
  between ``LOGO_MIN_SIDE`` and ``LOGO_MAX_SIDE`` pixels a side, and then drawn again by Pillow,
  so that what is stored is pixels Pillow wrote (no metadata such as a photo's location, nothing
  hidden after the image). SVG is refused, not sanitised: an SVG is a program of XML that can
  reach for other files and fonts, and a sanitiser is one more thing to keep right for a logo a
  council has as a PNG anyway.
- **The accent colour** must have a contrast of at least 4.5:1 against white (WCAG 2.2, 1.4.3, the
  rule for text), not only the 3:1 for graphics (1.4.11): it colours the partnership's name on
  the cover and the headings' rules, and white text sits on it in the public page's band, so one
  rule for both uses keeps every use readable.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 512 * 1024
LOGO_MIN_SIDE = 64
LOGO_MAX_SIDE = 2000
# Pillow format -> (content type, file extension)
LOGO_FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}
TEXT_CONTRAST = 4.5
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class CheckedLogo:
    content: bytes  # as Pillow wrote it again
    content_type: str
    extension: str
    width: int
    height: int


def checked_logo(upload: UploadedFile) -> CheckedLogo:
    """The logo as Pillow draws it again; a ValidationError on ``logo`` that says why not."""

    def refuse(message: str):
        return ValidationError({"logo": message}, code="invalid")

    if upload.size == 0:
        raise refuse(_("The selected file is empty"))
    if upload.size > LOGO_MAX_BYTES:
        raise refuse(
            _("The logo must be smaller than %(limit)s") % {"limit": filesizeformat(LOGO_MAX_BYTES)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.lstrip()[:5].lower() in {b"<?xml", b"<svg "} or b"<svg" in data[:1024].lower():
        raise refuse(
            _("The logo must be a PNG or JPEG. SVG files are not accepted: save the logo as a PNG")
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
            if image_format not in LOGO_FORMATS:
                raise refuse(_("The logo must be a PNG or JPEG"))
            if min(width, height) < LOGO_MIN_SIDE or max(width, height) > LOGO_MAX_SIDE:
                raise refuse(
                    _(
                        "The logo must be between %(min)s and %(max)s pixels wide and high; "
                        "this one is %(width)s by %(height)s"
                    )
                    % {"min": LOGO_MIN_SIDE, "max": LOGO_MAX_SIDE, "width": width, "height": height}
                )
            content = _redrawn(image, image_format)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refuse(_("The selected file is not a real PNG or JPEG image")) from None
    content_type, extension = LOGO_FORMATS[image_format]
    return CheckedLogo(content, content_type, extension, width, height)


def _redrawn(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90)
    else:
        mode = "RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
        image.convert(mode).save(out, "PNG", optimize=True)
    return out.getvalue()


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of a ``#rrggbb`` colour."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def checked_accent_colour(value: str) -> str:
    """``#rrggbb`` in lower case, or "" for none; a ValidationError on ``accent_colour``."""
    colour = value.strip().lower()
    if not colour:
        return ""
    if not colour.startswith("#"):
        colour = f"#{colour}"
    if not HEX_COLOUR.match(colour):
        raise ValidationError(
            {"accent_colour": _("Enter the colour as a hex code of 6 characters, like #1d70b8")},
            code="invalid",
        )
    ratio = contrast_with_white(colour)
    if ratio < TEXT_CONTRAST:
        raise ValidationError(
            {
                "accent_colour": _(
                    "%(colour)s is too light: its contrast against white is %(ratio)s to 1, and "
                    "text in it needs at least 4.5 to 1. Choose a darker shade"
                )
                % {"colour": colour, "ratio": f"{int(ratio * 100) / 100:.2f}"}
            },
            code="contrast",
        )
    return colour


@dataclass(frozen=True)
class DocumentIdentity:
    """What a document or public page shows of the partnership: ``name`` is its public name."""

    name: str
    accent_colour: str
    logo_alt: str
    logo_data_uri: str  # "" without a logo; for WeasyPrint, which reads no other URL of ours

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_data_uri)


def display_name(partnership) -> str:
    return partnership.public_name or partnership.name


def logo_alt(partnership) -> str:
    return _("%(name)s logo") % {"name": display_name(partnership)}


def document_identity(partnership) -> DocumentIdentity:
    """The identity a PDF embeds; reads the logo from storage (one file, a few KB)."""
    data_uri = ""
    if partnership.logo:
        with partnership.logo.open("rb") as handle:
            encoded = base64.b64encode(handle.read()).decode("ascii")
        data_uri = f"data:{partnership.logo_content_type};base64,{encoded}"
    return DocumentIdentity(
        name=display_name(partnership),
        accent_colour=partnership.accent_colour,
        logo_alt=logo_alt(partnership) if data_uri else "",
        logo_data_uri=data_uri,
    )
