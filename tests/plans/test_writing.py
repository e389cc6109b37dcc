"""Writing long text without losing it (issue 15, items 1 and 3): a form sent after the session
expired is kept and put back after signing in again; drafts are autosaved and can be discarded;
Markdown has one hint, a server-side preview, and versions compare as they read."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from accounts.services import backup_codes_replace
from csp_portal.kept import PERSON_COOKIE
from csp_portal.models import KeptForm, TextDraft
from csp_portal.richtext import MARKDOWN_HINT
from oversight.forms import ReportRequestForm
from plans.models import PlanSection
from tests.conftest import signed_in
from tests.factories import DEFAULT_PASSWORD

from .conftest import YEAR, approved_assessment

TYPED = "Our summary, written for half an hour.\n\n* **Night-time economy** first\n* then parks"


def section_url(plan, kind="summary"):
    return reverse(
        "plans:section_edit",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk, "kind": kind},
    )


def test_a_section_sent_after_the_session_expired_is_put_back_after_signing_in(
    draft_plan, coordinator
):
    client = signed_in(coordinator)
    page = section_url(draft_plan)
    client.get(page)
    assert PERSON_COOKIE in client.cookies
    Session.objects.all().delete()  # 30 minutes without a request

    sent = client.post(page, {"revision": 1, "body": TYPED, "submit": "Save section"})
    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("accounts:login"))
    kept = KeptForm.objects.get()
    assert kept.user == coordinator and kept.path == page
    assert "Night-time" not in kept.data  # encrypted
    sign_in_page = client.get(sent["Location"]).content.decode()
    assert "What you typed has been kept" in sign_in_page

    # Sign in again, with one backup code, and land on the form with the text in it.
    codes = backup_codes_replace(acting_user=coordinator)
    signed = client.post(
        sent["Location"], {"username": coordinator.email, "password": DEFAULT_PASSWORD}
    )
    verify = client.get(signed["Location"])
    assert verify.status_code == 302  # to the two-factor step, which knows where to go next
    verified = client.post(verify["Location"], {"token": codes[0]})
    assert verified["Location"] == page
    form_page = client.get(page).content.decode()
    assert "What you typed before you were signed out" in form_page
    assert "**Night-time economy** first" in form_page
    assert StaticToken.objects.filter(device__user=coordinator).count() == len(codes) - 1
    # Nothing was saved, and what was kept is gone once shown.
    assert PlanSection.objects.get(plan=draft_plan, kind="summary").body == ""
    assert not KeptForm.objects.exists()
    assert "What you typed before you" not in client.get(page).content.decode()


def test_nothing_is_kept_without_the_person_or_of_secrets(draft_plan, coordinator):
    page = section_url(draft_plan)
    # A stranger's browser (no sign of who wrote it): nothing is kept.
    stranger = Client()
    assert stranger.post(page, {"revision": 1, "body": TYPED}).status_code == 302
    assert not KeptForm.objects.exists()
    # Passwords and tokens are never kept.
    client = signed_in(coordinator)
    client.get(page)
    Session.objects.all().delete()
    client.post(page, {"body": TYPED, "password": "hunter2hunter2", "api_token": "x"})
    from csp_portal.kept import kept_form_take

    data = kept_form_take(user_id=coordinator.pk, kept_id=KeptForm.objects.get().pk, path=page)
    assert set(data) == {"body"}


def test_drafts_are_autosaved_put_back_and_discarded(draft_plan, coordinator):
    client = signed_in(coordinator)
    page = section_url(draft_plan)
    assert Client().post(reverse("accounts:text_draft"), {}).status_code == 401
    assert (
        client.post(reverse("accounts:text_draft"), {"path": "//evil", "field": "body"}).status_code
        == 400
    )
    saved = client.post(
        reverse("accounts:text_draft"), {"path": page, "field": "body", "text": TYPED}
    )
    assert saved.status_code == 204
    assert TYPED not in TextDraft.objects.get().text  # encrypted

    shown = client.get(page).content.decode()
    assert "has been put back in the form" in shown and "then parks" in shown
    discarded = client.post(reverse("accounts:text_draft_discard"), {"next": page})
    assert discarded["Location"] == page and not TextDraft.objects.exists()
    assert "then parks" not in client.get(page).content.decode()

    # Saving the form does away with its drafts.
    client.post(reverse("accounts:text_draft"), {"path": page, "field": "body", "text": "x"})
    client.post(page, {"revision": 1, "body": "Saved text."})
    assert not TextDraft.objects.exists()


def test_stay_signed_in_answers_and_the_warning_is_on_signed_in_pages(draft_plan, coordinator):
    client = signed_in(coordinator)
    page = client.get(section_url(draft_plan)).content.decode()
    assert 'data-module="app-timeout-warning"' in page and 'data-session-seconds="1800"' in page
    stay = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert stay.json() == {"session_seconds": 1800, "warning_seconds": 120}
    assert Client().post(reverse("accounts:keep_alive")).status_code == 401


def test_preview_renders_markdown_and_saves_nothing(draft_plan, coordinator):
    client = signed_in(coordinator)
    page = section_url(draft_plan)
    assert 'name="preview"' in client.get(page).content.decode()
    response = client.post(page, {"revision": 1, "body": TYPED, "preview": "Preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Night-time economy</strong>" in html  # the preview
    assert "**Night-time economy** first" in html  # the text, still in the form
    assert PlanSection.objects.get(plan=draft_plan, kind="summary").body == ""


def test_one_markdown_hint_everywhere():
    from plans.forms.drafting import PlanPriorityForm, PlanSectionForm

    hints = {
        str(PlanSectionForm.base_fields["body"].help_text),
        str(PlanPriorityForm.base_fields["rationale"].help_text),
        str(ReportRequestForm.base_fields["body"].help_text),
    }
    assert hints == {str(MARKDOWN_HINT)}
    assert "* or -" in str(MARKDOWN_HINT)


def test_versions_compare_as_they_read(published_plan, coordinator, partnership):
    from plans.services import drafting

    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=published_plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    summary = refresh.sections.get(kind="summary")
    drafting.plan_section_update(
        acting_user=coordinator,
        section=summary,
        revision=summary.revision,
        body="We will **also** patrol parks.",
    )
    page = (
        signed_in(coordinator)
        .get(
            reverse(
                "plans:compare",
                kwargs={"partnership_slug": partnership.slug, "plan_id": refresh.pk},
            ),
            {"other": published_plan.pk},
        )
        .content.decode()
    )
    assert "We will <strong>also</strong> patrol parks." in page
    assert "**also**" not in page
