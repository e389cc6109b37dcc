"""The forms every consultation shares: a comment's text, and the coordinator's response to it
(the outcomes offered are those the comment's status still allows)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from .consultation import COMMENT_MAX_LENGTH, WHOLE_DOCUMENT, CommentStatus


def comment_body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your comment"),
        help_text=_("Plain text, up to %(max)s characters.") % {"max": COMMENT_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": _("Enter your comment"),
            "max_length": _("Keep your comment to %(limit_value)d characters or fewer"),
        },
    )


def document_parts(whole_label, groups) -> tuple[dict, list]:
    """The parts a comment may be about, by their key ("whole", "section-12"), and the grouped
    choices naming them: the form's and the API's one list."""
    parts = {WHOLE_DOCUMENT: None}
    choices = [(WHOLE_DOCUMENT, whole_label)]
    for heading, prefix, rows, label in groups:
        options = []
        for row in rows:
            parts[f"{prefix}-{row.pk}"] = row
            options.append((f"{prefix}-{row.pk}", label(row)))
        if options:
            choices.append((heading, options))
    return parts, choices


class CommentForm(GovukFormMixin, forms.Form):
    """A comment on a document as a whole or on one of its parts, chosen from the document's own
    rows (never trust an id from the client). ``groups`` is a list of (heading, prefix, rows,
    label of a row)."""

    submit_label = _("Send comment")

    part = forms.ChoiceField(
        label=_("What is your comment about?"),
        error_messages={
            "required": _("Choose what your comment is about"),
        },
    )
    body = comment_body_field()

    def __init__(self, *args, whole_label, groups, invalid_part, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].error_messages["invalid_choice"] = invalid_part
        self.parts, self.fields["part"].choices = document_parts(whole_label, groups)

    def clean_part(self):
        return self.parts[self.cleaned_data["part"]]


class CommentResponseForm(GovukFormMixin, forms.Form):
    submit_label = _("Save response")

    outcome = forms.ChoiceField(
        label=_("Your response"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you answer, accept or decline the comment"),
            "invalid_choice": _("Choose whether you answer, accept or decline the comment"),
        },
    )
    response = forms.CharField(
        label=_("What you say to the commenter"),
        help_text=_("They read this beside their comment. Up to %(max)s characters.")
        % {"max": COMMENT_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": _("Enter your response"),
            "max_length": _("Keep your response to %(limit_value)d characters or fewer"),
        },
    )
    # The document's own words for what accepting a comment means ("the plan changes").
    outcome_labels: dict = {}

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (status, self.outcome_labels[status])
            for status in CommentStatus.values
            if status in outcomes
        ]
