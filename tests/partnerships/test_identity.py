"""The partnership's public identity: a coordinator sets its public name, logo and accent colour;
the logo is checked by Pillow and kept privately; the colour must be readable on white."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEvent
from demo.partnerships import demo_logo_png
from partnerships.identity import contrast_with_white, document_identity
from partnerships.models import Partnership, Role
from partnerships.services import partnership_identity_update
from tests.conftest import signed_in
from tests.factories import member

pytestmark = pytest.mark.django_db


def url(name, partnership):
    return reverse(f"partnerships:{name}", kwargs={"partnership_slug": partnership.slug})


def image(kind="PNG", size=(200, 100), colour="#6f2c91") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def upload(content: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def coordinator(partnership):
    return member(partnership, Role.COORDINATOR, email="coordinator@trafford.example")


def test_the_contrast_rule_is_wcag_text_contrast_against_white():
    assert round(contrast_with_white("#767676"), 2) == 4.54  # the lightest grey that passes
    assert contrast_with_white("#777777") < 4.5
    assert round(contrast_with_white("#000000"), 1) == 21.0


def test_a_coordinator_sets_the_identity_and_it_is_kept_privately_and_audited(
    partnership, coordinator
):
    client = signed_in(coordinator)
    assert client.get(url("identity", partnership)).status_code == 200
    logo = image()
    response = client.post(
        url("identity", partnership),
        {
            "public_name": "Safer Trafford",
            "accent_colour": "6F2C91",
            "logo": upload(logo),
        },
    )
    assert response.status_code == 302

    partnership.refresh_from_db()
    assert partnership.public_name == "Safer Trafford"
    assert partnership.accent_colour == "#6f2c91"  # normalised
    assert partnership.logo_content_type == "image/png"
    # Kept through the storage API, under a random name, as Pillow wrote it again.
    name = partnership.logo.name
    assert name.startswith(f"partnerships/{partnership.pk}/logo-") and name.endswith(".png")
    assert default_storage.exists(name)
    with default_storage.open(name) as stored:
        assert Image.open(stored).size == (200, 100)
    event = AuditEvent.objects.get(action="partnership.identity_update")
    assert event.changes["public_name"] == ["", "Safer Trafford"]
    assert event.changes["accent_colour"] == ["", "#6f2c91"]

    # Served to members inline, never sniffed, never cached, unable to run anything.
    served = client.get(url("logo", partnership))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, no-store"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    page = client.get(url("identity", partnership)).text
    assert 'alt="Safer Trafford logo"' in page

    # Documents get the logo inline, with its alt text.
    identity = document_identity(partnership)
    assert identity.name == "Safer Trafford"
    assert identity.logo_data_uri.startswith("data:image/png;base64,")
    assert identity.logo_alt == "Safer Trafford logo"

    # A new logo replaces the old file once the change has committed.
    client.post(
        url("identity", partnership),
        {
            "public_name": "Safer Trafford",
            "accent_colour": "#6f2c91",
            "logo": upload(image("JPEG"), "logo.jpg", "image/jpeg"),
        },
    )
    partnership.refresh_from_db()
    assert partnership.logo.name.endswith(".jpg")
    assert partnership.logo_content_type == "image/jpeg"


def test_the_old_logo_file_goes_after_commit(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partnership_identity_update(
            acting_user=coordinator,
            partnership=partnership,
            public_name="",
            accent_colour="",
            logo=upload(image()),
        )
    first = Partnership.objects.get(pk=partnership.pk).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        partnership_identity_update(
            acting_user=coordinator,
            partnership=partnership,
            public_name="",
            accent_colour="",
            remove_logo=True,
        )
    assert not default_storage.exists(first)
    assert not Partnership.objects.get(pk=partnership.pk).logo


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"logo": ("logo.svg", SVG, "image/svg+xml")}, "logo", "SVG files are not accepted"),
        (
            {"logo": ("logo.png", b"<html>not a picture</html>", "image/png")},
            "logo",
            "not a real PNG or JPEG image",
        ),
        ({"logo": ("logo.gif", "GIF", "image/gif")}, "logo", "must be a PNG or JPEG"),
        (
            {"logo": ("logo.png", ("PNG", (20, 20)), "image/png")},
            "logo",
            "between 64 and 2000 pixels wide and high; this one is 20 by 20",
        ),
        (
            {"logo": ("logo.png", ("PNG", (2400, 80)), "image/png")},
            "logo",
            "this one is 2400 by 80",
        ),
        (
            {"logo": ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "image/png")},
            "logo",
            "The logo must be smaller than 512",
        ),
        ({"accent_colour": "#ffdd00"}, "accent_colour", "too light: its contrast against white"),
        ({"accent_colour": "#777777"}, "accent_colour", "is 4.47 to 1, and text in it needs"),
        ({"accent_colour": "purple"}, "accent_colour", "hex code of 6 characters"),
    ],
)
def test_bad_identity_is_refused_by_its_field_and_nothing_changes(
    partnership, coordinator, data, field, message
):
    post = {"public_name": "Safer Trafford", "accent_colour": "#6f2c91"}
    if "logo" in data:
        name, content, content_type = data["logo"]
        if isinstance(content, tuple):
            content = image(*content)
        elif content == "GIF":
            content = image("GIF")
        post["logo"] = upload(content, name, content_type)
    else:
        post.update(data)

    response = signed_in(coordinator).post(url("identity", partnership), post)

    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert f'href="#id_{field}"' in response.text  # in the error summary, linked to the field
    partnership.refresh_from_db()
    assert (partnership.public_name, partnership.accent_colour, partnership.logo.name) == (
        "",
        "",
        "",
    )
    assert not AuditEvent.objects.filter(action="partnership.identity_update").exists()


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_a_coordinator_may_change_the_identity(partnership, role):
    someone = member(partnership, role, email=f"{role}@trafford.example")
    client = signed_in(someone)
    assert client.get(url("identity", partnership)).status_code == 404
    response = client.post(url("identity", partnership), {"public_name": "Hijacked"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        partnership_identity_update(
            acting_user=someone, partnership=partnership, public_name="Hijacked", accent_colour=""
        )
    partnership.refresh_from_db()
    assert partnership.public_name == ""


def test_another_partnerships_coordinator_gets_404(partnership, other_partnership):
    stranger = member(other_partnership, Role.COORDINATOR, email="them@elsewhere.example")
    client = signed_in(stranger)
    partnership.logo.save("logo.png", io.BytesIO(demo_logo_png()), save=False)
    Partnership.objects.filter(pk=partnership.pk).update(
        logo=partnership.logo.name, logo_content_type="image/png"
    )
    assert client.get(url("identity", partnership)).status_code == 404
    assert client.get(url("logo", partnership)).status_code == 404
    with pytest.raises(PermissionDenied):
        partnership_identity_update(
            acting_user=stranger, partnership=partnership, public_name="Theirs", accent_colour=""
        )
