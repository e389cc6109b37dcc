"""The one form base every page form uses: GOV.UK Design System layout via crispy-forms-gds."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .kept import restore_into
from .richtext import is_markdown
from .text import PlainTextFormMixin


class GovukFormMixin(PlainTextFormMixin):
    """Render fields in order with one primary button; errors go in the page's error summary.
    Text fields refuse control characters, and single-line ones line breaks (csp_portal/text.py).
    The button ignores a second click within a second (GOV.UK Frontend's Button); the server
    makes sure a form sent twice anyway is acted on once (csp_portal.views.SubmitOnceMixin)."""

    submit_label = _("Continue")
    submit_classes = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                # Autosaved as it is written (csp_portal.kept, static/js/kept-text.mjs).
                field.widget.attrs.setdefault("data-autosave", "true")
        # What was typed before the session expired, or an autosaved draft, goes back in.
        restore_into(self)
        self.build_helper()

    def build_helper(self) -> None:
        """Lay out the fields the form has now; call again after adding fields in __init__."""
        self.helper = FormHelper(self)
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.helper.add_input(
            Submit(
                "submit",
                self.submit_label,
                css_class=self.submit_classes,
                data_module="govuk-button",
                data_prevent_double_click="true",
            )
        )
        if any(is_markdown(field) for field in self.fields.values()):
            # csp_portal.views.MarkdownPreviewMixin answers it: the text as it will read.
            self.helper.add_input(
                Submit(
                    "preview",
                    _("Preview"),
                    css_class="govuk-button--secondary",
                    data_module="govuk-button",
                    data_prevent_double_click="true",
                )
            )


class ConfirmForm(GovukFormMixin, forms.Form):
    """A yes-I-mean-it button: a warning button for destructive actions, a plain one otherwise."""

    def __init__(self, *args, submit_label: str, submit_classes: str = "", **kwargs):
        self.submit_label = submit_label
        self.submit_classes = submit_classes
        super().__init__(*args, **kwargs)


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with messages people can act on.

    crispy-forms-gds's field hard-codes English messages and passes Python's own date errors
    through; this keeps its rendering and replaces the words with translatable ones.
    """

    def __init__(self, *, label, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages.update(
            required=_("Enter the %(what)s") % {"what": str(label).lower()},
            invalid=_("Enter a real date"),
        )
        parts = (_("day"), _("month"), _("year"))
        for field, part in zip(self.fields, parts, strict=True):
            field.required = required
            field.error_messages["incomplete"] = _("The date must include a %(part)s") % {
                "part": part
            }
            field.validators = [
                RegexValidator(r"^[0-9]+$", _("Enter the %(part)s as a number") % {"part": part})
            ]
        # The GOV.UK date input accepts a month's name or its first three letters ("April",
        # "apr") as well as its number.
        self.fields[1].validators = []

    @staticmethod
    def month_number(text: str) -> int | None:
        text = text.strip().lower()
        if text.isdigit():
            return int(text)
        for number in range(1, 13):
            name = date(2000, number, 1)
            names = {
                date_format(name, "F").lower(),
                date_format(name, "N").lower().rstrip("."),
                date_format(name, "b").lower(),
                name.strftime("%B").lower(),
                name.strftime("%b").lower(),
            }
            if text.rstrip(".") in names:
                return number
        return None

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(_("Enter the year as 4 numbers, like 2027"), code="invalid")
        month_number = self.month_number(month)
        if month_number is None:
            raise ValidationError(
                _("Enter the month as a number or a name, like 4 or April"), code="invalid"
            )
        try:
            return date(day=int(day), month=month_number, year=int(year))
        except ValueError:
            raise ValidationError(_("Enter a real date"), code="invalid") from None
