import csv
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models import Organisation
from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.text import PlainTextFormMixin, PlainTextValidator
from csp_portal.uploads import allowed_extensions_text
from partnerships.consultation import CommentStatus
from partnerships.consultation_forms import CommentForm as SharedCommentForm
from partnerships.consultation_forms import CommentResponseForm as SharedResponseForm
from partnerships.models import Partnership
from recorded_crime.offences import OFFENCE_GROUPS

from .models import (
    SECTION_HINTS,
    AssessmentSection,
    ContributionRequest,
    ContributionStatus,
    EvidenceKind,
    PriorityTheme,
    RecommendedPriority,
    SectionKind,
    financial_year_label,
)


class AssessmentStartForm(GovukFormMixin, forms.Form):
    submit_label = _("Start the assessment")

    year_start = forms.TypedChoiceField(
        label=_("Which financial year is the assessment for?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the financial year")},
    )

    def __init__(self, *args, taken_years: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        current = today.year if today.month >= 4 else today.year - 1
        self.fields["year_start"].choices = [
            (year, financial_year_label(year))
            for year in (current + 1, current)
            if year not in taken_years
        ]
        self.fields["year_start"].error_messages["invalid_choice"] = _(
            "Select a financial year that does not have an assessment yet"
        )


class SectionForm(GovukFormMixin, forms.Form):
    submit_label = _("Save section")

    revision = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50_000,
        help_text=_("Leave a blank line between paragraphs."),
    )

    def __init__(self, *args, section: AssessmentSection, **kwargs):
        # FormView always passes "initial" (empty): the section's values go under it.
        kwargs["initial"] = {
            **{
                "revision": section.revision,
                "body": section.body,
                "public_meeting_date": section.public_meeting_date,
                "public_meeting_attendance": section.public_meeting_attendance,
                "public_meeting_issues": section.public_meeting_issues,
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["body"].label = section.get_kind_display()
        self.fields["body"].help_text = SECTION_HINTS[section.kind]
        if section.kind == SectionKind.COMMUNITY:
            self.fields["body"].label = _("Consultation results")
            self.fields["public_meeting_date"] = GovukDateField(
                label=_("Date of the annual public meeting"),
                required=False,
                help_text=_("For example, 27 3 2026"),
            )
            self.fields["public_meeting_attendance"] = forms.IntegerField(
                label=_("How many people attended"),
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
                ),
                error_messages={
                    "invalid": _("Enter the number of people as a whole number, like 45"),
                    "min_value": _("The number of people cannot be negative"),
                },
            )
            self.fields["public_meeting_issues"] = forms.CharField(
                label=_("Issues raised at the meeting"),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.build_helper()


class PriorityForm(GovukFormMixin, forms.Form):
    submit_label = _("Save priority")

    theme = forms.ChoiceField(
        label=_("Priority theme"),
        choices=[("", _("Choose a theme")), *PriorityTheme.choices],
        error_messages={
            "required": _("Select the priority theme"),
            "invalid_choice": _("Select one of the listed priority themes"),
        },
    )
    rationale = forms.CharField(
        label=_("Why it should be a priority"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Say why this should be a priority")},
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        help_text=_("The figures, contributions and findings that support it."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Give the evidence for this priority")},
    )

    def __init__(self, *args, priority: RecommendedPriority | None = None, **kwargs):
        if priority is not None:
            kwargs["initial"] = {
                "theme": priority.theme,
                "rationale": priority.rationale,
                "evidence": priority.evidence,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)


class ContributionRequestForm(GovukFormMixin, forms.Form):
    submit_label = _("Send requests")

    organisations = forms.ModelMultipleChoiceField(
        label=_("Which organisations are you asking?"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each organisation gets its own request and answers it separately."),
        error_messages={
            "required": _("Select at least one organisation"),
            "invalid_choice": _("Select organisations that sit on this partnership"),
            "invalid_pk_value": _("Select organisations that sit on this partnership"),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, Domestic abuse: incidents and referrals"),
        error_messages={"required": _("Enter a title for the request")},
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        error_messages={"required": _("Enter the questions you are asking")},
    )
    data_requested = forms.CharField(
        label=_("Data asked for (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )
    due_date = GovukDateField(label=_("Due date"), help_text=_("For example, 15 1 2027"))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        # Never trust an id from the client: only organisations on this partnership.
        self.fields["organisations"].queryset = Organisation.objects.filter(
            partner_seats__partnership=partnership
        ).order_by("name")

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date must be today or in the future"))
        return due_date


class ContributionAnswerForm(GovukFormMixin, forms.Form):
    submit_label = _("Save draft")
    submit_classes = "govuk-button--secondary"

    revision = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Leave a blank line between paragraphs."),
    )
    figures_csv = forms.FileField(
        label=_("Upload figures from a CSV file"),
        required=False,
        help_text=_(
            "One figure per line: what it measures, the value, and the unit if it has one. "
            "A header line is skipped. The file replaces the figures below."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


# How many figure rows a contribution holds (Trafford has 21 wards; a district may have more).
FIGURES_MAX = 100
# Rows shown empty below the figures, and added by "Add 10 more rows" without JavaScript.
FIGURES_EXTRA = 3
FIGURES_MORE = 10
_THOUSANDS = re.compile(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}(\D|$))")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def figure_number(text: str) -> Decimal | None:
    """A number as people type or copy it: "1,204", "1 204", "12.5", "-3"; None if it is not one."""
    text = _THOUSANDS.sub("", (text or "").strip())
    if not _NUMBER.match(text):
        return None
    return Decimal(text)


class FigureValueField(forms.DecimalField):
    """A figure's value: thousands separators, as a spreadsheet copies them, are allowed."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = figure_number(value)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = str(number)
        return super().to_python(value)


_VALUE_ERRORS = {
    "invalid": _("Enter the value as a number, like 1204 or 12.5"),
    "max_digits": _("Enter a value with at most 12 digits before the decimal point"),
    "max_decimal_places": _("Enter a value with at most 2 decimal places"),
    "max_whole_digits": _("Enter a value with at most 12 digits before the decimal point"),
}


class FigureForm(PlainTextFormMixin, forms.Form):
    label = forms.CharField(label=_("What it measures"), max_length=200, required=False)
    value = FigureValueField(
        label=_("Value"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages=_VALUE_ERRORS,
    )
    unit = forms.CharField(
        label=_("Unit (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean(self):
        cleaned = super().clean()
        label, value = cleaned.get("label"), cleaned.get("value")
        if label and value is None and "value" not in self.errors:
            self.add_error("value", _("Enter the value for %(label)s") % {"label": label})
        if value is not None and not label:
            self.add_error("label", _("Say what this figure measures"))
        return cleaned


FigureFormSet = forms.formset_factory(
    FigureForm, extra=FIGURES_EXTRA, max_num=FIGURES_MAX, absolute_max=FIGURES_MAX
)


def figure_formset(rows: list[dict], *, extra: int = FIGURES_EXTRA):
    """An unbound grid showing ``rows`` (as typed or saved) with ``extra`` empty rows below."""
    extra = max(0, min(extra, FIGURES_MAX - len(rows)))
    formset_class = forms.formset_factory(
        FigureForm, extra=extra, max_num=FIGURES_MAX, absolute_max=FIGURES_MAX
    )
    return formset_class(initial=rows[:FIGURES_MAX], prefix="figures")


def posted_figure_count(data, prefix: str = "figures") -> int:
    """How many rows the grid had as sent, empty ones included."""
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), FIGURES_MAX))
    except ValueError:
        return 0


def posted_figure_rows(data, prefix: str = "figures") -> list[dict]:
    """The grid's rows as sent, for showing them again (nothing is checked or saved)."""
    total = posted_figure_count(data, prefix)
    rows = [
        {name: data.get(f"{prefix}-{index}-{name}", "") for name in ("label", "value", "unit")}
        for index in range(total)
    ]
    return [row for row in rows if any(value.strip() for value in row.values())]


FIGURES_CSV_MAX_BYTES = 1_000_000


def figures_from_csv(upload) -> list[tuple[str, Decimal, str]]:
    """The figures of a CSV file (what it measures, value, unit), all or none: a
    ValidationError lists every line that is wrong, by its line number. A first line that is
    not figures (a header such as "Ward,Incidents") is skipped."""
    if upload.size > FIGURES_CSV_MAX_BYTES:
        raise forms.ValidationError(
            _("The file must be smaller than %(size)s")
            % {"size": filesizeformat(FIGURES_CSV_MAX_BYTES)}
        )
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    sample = "\n".join(lines[:5])
    delimiter = "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
    rows, errors, seen_first = [], [], False
    label_rule = PlainTextValidator(label=_("What it measures"))
    for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if not rows and not errors and not seen_first:
            seen_first = True
            # A header line ("Ward,Incidents"): its value column has no number in it.
            if not re.search(r"\d", cells[1] if len(cells) > 1 else ""):
                continue
        line_errors = []
        label = cells[0] if cells else ""
        value_text = cells[1] if len(cells) > 1 else ""
        unit = cells[2] if len(cells) > 2 else ""
        if not label:
            line_errors.append(_("say what the figure measures"))
        elif len(label) > 200:
            line_errors.append(_("what it measures must be 200 characters or fewer"))
        else:
            try:
                label_rule(label)
            except forms.ValidationError:
                line_errors.append(_("what it measures must not contain control characters"))
        value = figure_number(value_text)
        if not value_text:
            line_errors.append(_("enter the value"))
        elif value is None:
            line_errors.append(_("enter the value as a number, like 1204 or 12.5"))
        elif value.as_tuple().exponent < -2:
            line_errors.append(_("enter a value with at most 2 decimal places"))
        elif abs(value) >= Decimal(10) ** 12:
            line_errors.append(_("enter a value with at most 12 digits before the decimal point"))
        if len(unit) > 40:
            line_errors.append(_("the unit must be 40 characters or fewer"))
        if line_errors:
            errors.append(
                _("Line %(line)s: %(problems)s")
                % {"line": number, "problems": "; ".join(map(str, line_errors))}
            )
        else:
            rows.append((label, value, unit))
    if not errors and not rows:
        errors.append(_("The file has no figures in it"))
    if not errors and len(rows) > FIGURES_MAX:
        errors.append(
            _("The file has %(count)s figures; a contribution can have at most %(max)s")
            % {"count": len(rows), "max": FIGURES_MAX}
        )
    if errors:
        raise forms.ValidationError(errors)
    return rows


class CommentForm(GovukFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Say what needs to change")},
    )

    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class ApproveForm(GovukFormMixin, forms.Form):
    submit_label = _("Approve the assessment")

    note = forms.CharField(
        label=_("Approval note (optional)"),
        required=False,
        help_text=_("For example, the meeting at which the strategy group agreed it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
    )


class DocumentForm(GovukFormMixin, forms.Form):
    submit_label = _("Upload document")
    submit_classes = "govuk-button--secondary"

    file = forms.FileField(
        label=_("Attach a document"),
        error_messages={
            "required": _("Select a file"),
            "empty": _("The selected file is empty"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s, up to %(limit)s.") % {
            "types": allowed_extensions_text(),
            "limit": filesizeformat(settings.CSP_UPLOAD_MAX_BYTES),
        }


class PriorityEvidenceForm(GovukFormMixin, forms.Form):
    """Cite one piece of evidence for a recommended priority: an offence group's figures, an
    accepted contribution, or the consultation findings."""

    submit_label = _("Cite this evidence")

    kind = forms.ChoiceField(
        label=_("What kind of evidence?"),
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what kind of evidence to cite"),
            "invalid_choice": _("Select one of the listed kinds of evidence"),
        },
    )
    offence_key = forms.ChoiceField(
        label=_("Offence group (for police recorded crime)"),
        required=False,
        error_messages={"invalid_choice": _("Select one of the listed offence groups")},
    )
    contribution = forms.ModelChoiceField(
        label=_("Contribution (for a partner's contribution)"),
        queryset=ContributionRequest.objects.none(),
        required=False,
        empty_label=_("Choose an accepted contribution"),
        error_messages={"invalid_choice": _("Select one of the accepted contributions")},
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_key"].choices = [("", _("Choose an offence group"))] + [
            (group.key, group.label) for group in OFFENCE_GROUPS
        ]
        self.fields["contribution"].queryset = ContributionRequest.objects.filter(
            assessment=assessment, status=ContributionStatus.ACCEPTED
        ).select_related("organisation")
        self.fields["contribution"].label_from_instance = lambda request: (
            f"{request.organisation.name}: {request.title}"
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == EvidenceKind.CRIME and not cleaned.get("offence_key"):
            self.add_error("offence_key", _("Choose the offence group whose figures you cite"))
        if kind == EvidenceKind.CONTRIBUTION and not cleaned.get("contribution"):
            self.add_error("contribution", _("Choose the contribution you cite"))
        return cleaned


class ReviewCommentForm(SharedCommentForm):
    """A comment on the assessment in review, on the whole or one section or priority of it."""

    def __init__(self, *args, sections, priorities, **kwargs):
        super().__init__(
            *args,
            whole_label=_("The assessment as a whole"),
            groups=[
                (_("Sections"), "section", sections, lambda s: s.get_kind_display()),
                (
                    _("Recommended priorities"),
                    "priority",
                    priorities,
                    lambda p: p.get_theme_display(),
                ),
            ],
            invalid_part=_("Choose a part of this assessment"),
            **kwargs,
        )


class ReviewCommentResponseForm(SharedResponseForm):
    outcome_labels = {
        CommentStatus.ANSWERED: _("Answer it (no change to the assessment)"),
        CommentStatus.ACCEPTED: _("Accept it (the assessment changes)"),
        CommentStatus.DECLINED: _("Decline it"),
    }
