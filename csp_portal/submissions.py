"""A submission acted on once: a double click, a browser's "resend", or an API client's retry
never makes a second action, request or email.

Every form that makes something carries a one-time token (``TOKEN_FIELD``), chosen when the form
is shown (``csp_portal.views.SubmitOnceMixin``); an API request may carry an
``Idempotency-Key`` header instead. The service that makes the thing claims it as the first step
of its transaction (``submission_claim``): the first claim inserts a row under a unique
constraint; any other with the same token, even one running at the same moment (its insert
waits for the first transaction), raises ``AlreadySubmitted`` with where the first one led, and
changes nothing. A first submission refused as bad input rolls its claim back with it, so the
corrected form goes through. Claims are deleted after ``CSP_SUBMISSION_TOKEN_HOURS``.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import SubmissionToken

TOKEN_FIELD = "submission_token"  # noqa: S105 (a field name, not a secret)
IDEMPOTENCY_HEADER = "Idempotency-Key"
_FORM_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# Visible ASCII, as an API client's UUID, hash or counter would be.
_API_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")


@dataclass(frozen=True)
class Submission:
    user_id: int
    key: str


class AlreadySubmitted(Exception):
    """The same submission was acted on before; ``result_url`` is where it led ("" if unknown)."""

    def __init__(self, result_url: str = ""):
        super().__init__(result_url)
        self.result_url = result_url


def new_form_token() -> str:
    return uuid.uuid4().hex


def is_form_token(value: str) -> bool:
    return bool(_FORM_TOKEN.match(value))


def is_api_key(value: str) -> bool:
    return bool(_API_KEY.match(value))


def submission_claim(submission: Submission | None) -> None:
    """Claim the submission, or raise AlreadySubmitted. Call first inside the transaction of
    the service that makes something; None (a caller without a token) claims nothing."""
    if submission is None:
        return
    claim, created = SubmissionToken.objects.get_or_create(
        user_id=submission.user_id, key=submission.key
    )
    if not created:
        raise AlreadySubmitted(claim.result_url)


def submission_result(submission: Submission | None) -> str | None:
    """Where an earlier submission with this token led, if one was acted on (else None)."""
    if submission is None:
        return None
    return (
        SubmissionToken.objects.filter(user_id=submission.user_id, key=submission.key)
        .values_list("result_url", flat=True)
        .first()
    )


def submission_led_to(submission: Submission, url: str) -> None:
    """Record where a claimed submission led, in the transaction that claimed it."""
    SubmissionToken.objects.filter(user_id=submission.user_id, key=submission.key).update(
        result_url=url[:500]
    )


def submissions_expire() -> int:
    """Forget claims older than CSP_SUBMISSION_TOKEN_HOURS (beat, hourly)."""
    cutoff = timezone.now() - timedelta(hours=settings.CSP_SUBMISSION_TOKEN_HOURS)
    deleted, _ = SubmissionToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
