"""Consultation comments, shared by the plan and the strategic assessment: the statuses a comment
moves through, the columns every comment has, and the two writes (add one, respond to one).

Each document keeps its own table (``plans.PlanComment``, ``assessments.AssessmentComment``):
a comment points at the parts of its own document with real foreign keys, and the plan's
comments stay where they are. What they share is defined once here, below both apps in the
import layers; each app's service checks its own policy and then calls these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from authorities.models import Organisation
from csp_portal.workflow import transition

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Membership


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Awaiting a response")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


COMMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    CommentStatus.OPEN: frozenset(
        {CommentStatus.ANSWERED, CommentStatus.ACCEPTED, CommentStatus.DECLINED}
    ),
    # An answer may still end in the change being made, or not.
    CommentStatus.ANSWERED: frozenset({CommentStatus.ACCEPTED, CommentStatus.DECLINED}),
    CommentStatus.ACCEPTED: frozenset(),
    CommentStatus.DECLINED: frozenset(),
}
COMMENT_MAX_LENGTH = 2000
# The key of "the document as a whole" among the parts a comment may be about.
WHOLE_DOCUMENT = "whole"


class ConsultationComment(models.Model):
    """A member's comment on a document in consultation, and the coordinator's response. Names
    are copied onto the row as they stood, so the log reads the same after people move on."""

    # What it was about, in words, as it stood: the part may be removed later.
    about = models.CharField(_("about"), max_length=200)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(_("response"), max_length=COMMENT_MAX_LENGTH, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return gettext("Comment by %(name)s on %(about)s") % {
            "name": self.author_name,
            "about": self.about,
        }


def comment_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: gettext("Enter your comment")}, code="required")
    if len(value) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                field: gettext("Keep it to %(max)s characters or fewer")
                % {"max": COMMENT_MAX_LENGTH}
            },
            code="max_length",
        )
    return value


C = TypeVar("C", bound=ConsultationComment)


def comment_create(
    model: type[C],
    *,
    acting_user: User,
    member: Membership,
    about: str,
    body: str,
    audit_action: str,
    **document: Any,
) -> C:
    """Write a comment the caller's policy has allowed, and audit it (in its transaction).
    ``document`` names the document, its partnership and the part the comment is about."""
    body = comment_text(body, "body")
    comment = model.objects.create(
        about=about[:200],
        body=body,
        author=acting_user,
        author_name=acting_user.full_name,
        organisation=member.organisation,
        organisation_name=member.organisation.name,
        **document,
    )
    audit_record(
        acting_user=acting_user,
        partnership=comment.partnership,
        action=audit_action,
        target=comment,
        changes={"about": [None, comment.about], "length": [None, len(body)]},
    )
    return comment


def comment_response(
    comment: C, *, acting_user: User, outcome: str, response: str, audit_action: str
) -> C:
    """Answer, accept or decline a comment the caller has locked and its policy allowed."""
    if outcome not in COMMENT_TRANSITIONS[comment.status]:
        raise ValidationError(
            {"outcome": gettext("Choose whether you answer, accept or decline the comment")},
            code="invalid",
        )
    response = comment_text(response, "response")
    return transition(
        comment,
        outcome,
        transitions=COMMENT_TRANSITIONS,
        acting_user=acting_user,
        action=audit_action,
        audit_changes={"response": [None, len(response)]},
        response=response,
        responded_by=acting_user,
        responded_by_name=acting_user.full_name,
    )


def comment_counts(queryset: models.QuerySet) -> dict:
    """How many comments, from how many organisations, and how each ended: the governance part
    of a document (one query)."""
    rows = list(queryset.values_list("status", "organisation_name"))
    counts = {status: 0 for status in CommentStatus.values}
    for status, _organisation in rows:
        counts[status] += 1
    return {
        "total": len(rows),
        "organisations": len({organisation for _status, organisation in rows}),
        **counts,
    }
