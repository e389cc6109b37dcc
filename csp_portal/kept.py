"""No typed text is lost: not when the session expires while someone writes, nor when the page
is closed or reloaded before they save.

- A form that arrives after the session has expired (an anonymous POST that the page answers
  with a redirect to sign in) is kept, encrypted, against the person whose browser it came from
  (``PERSON_COOKIE``, signed, set while they are signed in), never with a password, token or
  security-code field, and for ``CSP_KEPT_FORM_MINUTES``. Once the same person has signed in
  again (and passed two-factor authentication) and opens the page, the form is shown with what
  they typed, not saved: they check it and press Save themselves.
- Long text is autosaved while they write (static/js/kept-text.mjs posts it to
  ``accounts:text_draft``) and put back in the form when the page is opened again, with a banner
  offering to discard it; a successful save of the page deletes its drafts.

Both stores are the person's own scratch data, not records of the partnership: nothing is
audited until they save the form, which is audited by the service it calls.
"""

import base64
import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import KeptForm, TextDraft
from .submissions import TOKEN_FIELD

PERSON_COOKIE = "csp_person"
_PERSON_SALT = "csp_portal.kept.person"
_PERSON_COOKIE_HOURS = 12
KEPT_SESSION_KEY = "csp_kept_form"
# Never kept: what would let someone act as the person, or is not text.
_NEVER_KEPT = re.compile(r"password|token|secret|otp|backup|^code$|csrf", re.IGNORECASE)
_KEPT_MAX_CHARS = 500_000
_KEPT_PER_PERSON = 20
DRAFT_MAX_CHARS = 100_000
_DRAFTS_PER_PERSON = 50


def _fernet() -> Fernet:
    key = salted_hmac("csp_portal.kept", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(value) -> str:
    return _fernet().encrypt(json.dumps(value).encode()).decode()


def _decrypt(token: str, *, max_age: timedelta):
    try:
        return json.loads(_fernet().decrypt(token.encode(), ttl=int(max_age.total_seconds())))
    except (InvalidToken, ValueError):
        return None


def _kept_for() -> timedelta:
    return timedelta(minutes=settings.CSP_KEPT_FORM_MINUTES)


def _drafts_for() -> timedelta:
    return timedelta(days=settings.CSP_TEXT_DRAFT_DAYS)


# What the request being answered has for the forms it builds: kept fields, and drafts.
@dataclass
class _Current:
    user_id: int | None
    path: str
    kept: QueryDict | None = None
    drafts: dict[str, "Draft"] | None = None
    restored: list["Draft"] = field(default_factory=list)


_current: ContextVar[_Current | None] = ContextVar("csp_portal_kept", default=None)


@dataclass(frozen=True)
class Draft:
    field: str
    text: str
    updated_at: object


# Keeping a form -------------------------------------------------------------------------------


def kept_form_store(*, user_id: int, path: str, data: QueryDict) -> KeptForm | None:
    """Keep what was typed, without the fields that are never kept; None if there is nothing
    to keep or it is too large to be text someone typed."""
    fields = {
        name: [value for value in data.getlist(name)]
        for name in data
        if name != TOKEN_FIELD and not _NEVER_KEPT.search(name)
    }
    if not any(value.strip() for values in fields.values() for value in values):
        return None
    if sum(len(value) for values in fields.values() for value in values) > _KEPT_MAX_CHARS:
        return None
    kept = KeptForm.objects.create(user_id=user_id, path=path[:500], data=_encrypt(fields))
    stale = KeptForm.objects.filter(user_id=user_id).order_by("-created_at", "-pk")
    KeptForm.objects.filter(pk__in=stale.values("pk")[_KEPT_PER_PERSON:]).delete()
    return kept


def kept_form_take(*, user_id: int, kept_id: int, path: str) -> QueryDict | None:
    """The kept form for this person and page, once: it is deleted as it is read."""
    kept = KeptForm.objects.filter(pk=kept_id, user_id=user_id, path=path).first()
    if kept is None:
        return None
    kept.delete()
    fields = _decrypt(kept.data, max_age=_kept_for())
    if not isinstance(fields, dict):
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, [str(value) for value in values])
    return data


# Drafts ---------------------------------------------------------------------------------------


def text_draft_save(*, user_id: int, path: str, field_name: str, text: str) -> None:
    """Autosave: the latest text of one field of one page, for its writer only."""
    TextDraft.objects.update_or_create(
        user_id=user_id,
        path=path[:500],
        field=field_name[:100],
        defaults={"text": _encrypt(text[:DRAFT_MAX_CHARS]), "updated_at": timezone.now()},
    )
    stale = TextDraft.objects.filter(user_id=user_id).order_by("-updated_at", "-pk")
    TextDraft.objects.filter(pk__in=stale.values("pk")[_DRAFTS_PER_PERSON:]).delete()


def text_drafts_discard(*, user_id: int, path: str) -> int:
    deleted, _ = TextDraft.objects.filter(user_id=user_id, path=path).delete()
    return deleted


def text_drafts_of(*, user_id: int, path: str) -> dict[str, Draft]:
    drafts = {}
    for row in TextDraft.objects.filter(
        user_id=user_id, path=path, updated_at__gte=timezone.now() - _drafts_for()
    ):
        text = _decrypt(row.text, max_age=_drafts_for())
        if isinstance(text, str):
            drafts[row.field] = Draft(row.field, text, row.updated_at)
    return drafts


def kept_text_expire() -> int:
    """Forget kept forms and drafts past their time (beat, hourly)."""
    now = timezone.now()
    forms_deleted, _ = KeptForm.objects.filter(created_at__lt=now - _kept_for()).delete()
    drafts_deleted, _ = TextDraft.objects.filter(updated_at__lt=now - _drafts_for()).delete()
    return forms_deleted + drafts_deleted


# Putting text back in forms -------------------------------------------------------------------


def restore_into(form) -> None:
    """Called by every page form as it is made: an unbound form of the page being answered
    shows what was kept for it, or its autosaved drafts, in place of its initial values."""
    current = _current.get()
    if current is None or form.is_bound or current.user_id is None:
        return
    if current.kept is not None:
        data = current.kept
        for name, form_field in form.fields.items():
            key = form.add_prefix(name)
            if name == TOKEN_FIELD or isinstance(
                form_field.widget, forms.PasswordInput | forms.FileInput
            ):
                continue
            if key in data or any(k.startswith(f"{key}_") for k in data):
                form.initial[name] = form_field.widget.value_from_datadict(data, {}, key)
        return
    textareas = [name for name, f in form.fields.items() if isinstance(f.widget, forms.Textarea)]
    if not textareas:
        return
    if current.drafts is None:
        current.drafts = text_drafts_of(user_id=current.user_id, path=current.path)
    for name in textareas:
        draft = current.drafts.get(form.add_prefix(name))
        if draft is not None:
            form.initial[name] = draft.text
            current.restored.append(draft)


def kept_form_data() -> QueryDict | None:
    """What was typed into the page's form before the session expired, for a page that builds
    part of its form by hand (a formset); None when nothing was kept for it."""
    current = _current.get()
    return current.kept if current is not None else None


@contextmanager
def showing_typed(data: QueryDict):
    """Forms made inside show ``data`` as typed, unchecked (a preview of what was typed)."""
    current = _current.get()
    if current is None:
        yield
        return
    before, current.kept = current.kept, data
    try:
        yield
    finally:
        current.kept = before


def restored_drafts(request) -> list[Draft]:
    current = getattr(request, "_kept_current", None)
    return list(current.restored) if current else []


def _person_from(request) -> int | None:
    try:
        value = request.get_signed_cookie(
            PERSON_COOKIE, salt=_PERSON_SALT, max_age=_PERSON_COOKIE_HOURS * 3600
        )
        return int(value)
    except (KeyError, signing.BadSignature, ValueError):
        return None


class KeepTypedTextMiddleware:
    """Keeps a form sent after the session expired and puts it back after sign-in (above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        current = _Current(user_id=user.pk if user.is_authenticated else None, path=request.path)
        request._kept_current = current
        token = _current.set(current)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if user.is_authenticated:
            return self._signed_in(request, response, user)
        if request.method == "POST" and self._sends_to_sign_in(response):
            self._keep(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        kept_id = request.session.get(KEPT_SESSION_KEY) if user.is_authenticated else None
        if request.method != "GET" or kept_id is None:
            return None
        data = kept_form_take(user_id=user.pk, kept_id=kept_id, path=request.path)
        if data is None:
            return None
        del request.session[KEPT_SESSION_KEY]
        request._kept_current.kept = data
        messages.info(
            request,
            _(
                "What you typed before you were signed out has been put back in the form. "
                "It has not been saved: check it, then save it."
            ),
        )
        return None

    @staticmethod
    def _sends_to_sign_in(response) -> bool:
        return response.status_code in (301, 302, 303) and response.get("Location", "").startswith(
            resolve_url(settings.LOGIN_URL)
        )

    @staticmethod
    def _keep(request) -> None:
        person = _person_from(request)
        if person is None:
            return
        kept = kept_form_store(user_id=person, path=request.path, data=request.POST)
        if kept is None:
            return
        request.session[KEPT_SESSION_KEY] = kept.pk
        messages.info(
            request,
            _(
                "You were signed out because you had not done anything for %(minutes)s "
                "minutes. What you typed has been kept: sign in again and it will be put back "
                "in the form. It has not been saved yet."
            )
            % {"minutes": settings.SESSION_COOKIE_AGE // 60},
        )

    @staticmethod
    def _signed_in(request, response, user):
        if request.method == "POST" and response.status_code in (301, 302, 303):
            match = request.resolver_match
            if match is not None and match.view_name == "accounts:logout":
                response.delete_cookie(PERSON_COOKIE, samesite="Lax")
                return response
            # Saved: the page's drafts have done their work.
            if match is not None and match.view_name != "accounts:text_draft":
                text_drafts_discard(user_id=user.pk, path=request.path)
        if _person_from(request) != user.pk:
            response.set_signed_cookie(
                PERSON_COOKIE,
                str(user.pk),
                salt=_PERSON_SALT,
                max_age=_PERSON_COOKIE_HOURS * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
