"""Forms for writing and approving a plan. Every field that points at another row has its choices
limited to this partnership (never trust an id from the client); the services check again."""

import copy
from types import SimpleNamespace

from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import PriorityTheme
from authorities.models import Organisation
from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.kept import restore_into
from csp_portal.richtext import MARKDOWN_HINT, markdown_textarea
from csp_portal.text import PlainTextFormMixin
from partnerships.models import Seat

from ..bilingual import is_bilingual
from ..models import (
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    PlanSection,
    PlanSectionKind,
    PoliceAndCrimePlanPriority,
)
from ..series import series_choices


class _RevisionMixin:
    """A hidden copy of the row's revision: a save made from an older one is refused."""

    def _with_revision(self, kwargs, record, values):
        kwargs["initial"] = {
            **({"revision": record.revision, **values} if record else {}),
            **(kwargs.get("initial") or {}),
        }
        return kwargs


class WelshFieldsMixin:
    """For a Welsh partnership, each published text is entered in English and in Welsh side by
    side (plans.bilingual): a Welsh field beside its English one, in the same kind of box, with
    ``lang="cy"`` so that spelling checkers and screen readers take it as Welsh. An English
    partnership's form has no Welsh fields at all."""

    welsh_fields: dict[str, str] = {}

    def add_welsh(self, partnership, record) -> None:
        if not is_bilingual(partnership):
            return
        for english, welsh in self.welsh_fields.items():
            field = copy.deepcopy(self.fields[english])
            field.required = False
            field.help_text = ""
            field.widget.attrs["lang"] = "cy"
            field.label = format_lazy("{} ({})", self.fields[english].label, _("Welsh"))
            self.fields[english].label = format_lazy(
                "{} ({})", self.fields[english].label, _("English")
            )
            self.fields[welsh] = field
            if record is not None and not self.is_bound:
                self.initial.setdefault(welsh, getattr(record, welsh))
        # What was kept or autosaved of the Welsh goes back in too (GovukFormMixin restored the
        # fields the form had before these were added; restoring them all again would count the
        # English drafts twice).
        welsh_only = SimpleNamespace(
            fields={name: self.fields[name] for name in self.welsh_fields.values()},
            is_bound=self.is_bound,
            add_prefix=self.add_prefix,
            initial=self.initial,
        )
        restore_into(welsh_only)
        self.build_helper()
        layout = []
        for name in self.fields:
            if name in self.welsh_fields.values():
                continue
            if name in self.welsh_fields:
                layout.append(
                    Div(
                        Div(name, css_class="govuk-grid-column-one-half"),
                        Div(self.welsh_fields[name], css_class="govuk-grid-column-one-half"),
                        css_class="govuk-grid-row app-bilingual",
                    )
                )
            else:
                layout.append(name)
        self.helper.layout = Layout(*layout)

    @property
    def bilingual(self) -> bool:
        return any(name in self.fields for name in self.welsh_fields.values())


class PlanStartForm(GovukFormMixin, forms.Form):
    submit_label = _("Start the plan")

    assessment = forms.ModelChoiceField(
        label=_("Which approved strategic assessment does the plan build on?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Select the strategic assessment"),
            "invalid_choice": _("Select one of this partnership's approved assessments"),
        },
    )

    def __init__(self, *args, assessments, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        # The only possible assessment is chosen already (it can still be unchosen and refused).
        only = list(assessments[:2])
        if len(only) == 1:
            self.initial.setdefault("assessment", only[0].pk)
        self.fields["assessment"].label_from_instance = lambda a: (
            _("Strategic assessment %(year)s, version %(version)s")
            % {"year": a.year_label, "version": a.version}
        )


class PlanSectionForm(GovukFormMixin, _RevisionMixin, WelshFieldsMixin, forms.Form):
    submit_label = _("Save section")
    welsh_fields = {"body": "body_cy"}

    revision = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=markdown_textarea(rows=14),
        help_text=MARKDOWN_HINT,
    )

    def __init__(self, *args, section: PlanSection, **kwargs):
        kwargs = self._with_revision(
            kwargs,
            section,
            {
                "body": section.body,
                "protocol_title": section.protocol_title,
                "protocol_signatories": section.protocol_signatories,
                "protocol_review_date": section.protocol_review_date,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["body"].label = section.get_kind_display()
        if section.kind == PlanSectionKind.INFORMATION_SHARING:
            self.fields["protocol_title"] = forms.CharField(
                label=_("Information sharing protocol in force"),
                required=False,
                max_length=200,
            )
            self.fields["protocol_signatories"] = forms.CharField(
                label=_("Signatories"),
                help_text=_("One organisation per line."),
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields["protocol_review_date"] = GovukDateField(
                label=_("Review date"), required=False, help_text=_("For example, 31 3 2028")
            )
            self.build_helper()
        self.add_welsh(section.plan.partnership, section)


class PlanPriorityForm(GovukFormMixin, _RevisionMixin, WelshFieldsMixin, forms.Form):
    submit_label = _("Save priority")
    welsh_fields = {"rationale": "rationale_cy", "objectives": "objectives_cy"}

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    theme = forms.ChoiceField(
        label=_("Priority theme"),
        choices=[("", _("Choose a theme")), *PriorityTheme.choices],
        error_messages={
            "required": _("Select the priority theme"),
            "invalid_choice": _("Select one of the listed priority themes"),
        },
    )
    rationale = forms.CharField(
        label=_("Why it is a priority"),
        max_length=10_000,
        widget=markdown_textarea(rows=4),
        help_text=MARKDOWN_HINT,
        error_messages={"required": _("Say why this is a priority")},
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=10_000,
        widget=markdown_textarea(rows=4),
        help_text=format_lazy(
            "{} {}",
            _("What the partnership means to achieve for this priority over the plan."),
            MARKDOWN_HINT,
        ),
    )
    pcc_priorities = forms.ModelMultipleChoiceField(
        label=_("Police and crime plan priorities it serves"),
        queryset=PoliceAndCrimePlanPriority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select priorities of this force area's police and crime plan"),
            "invalid_pk_value": _("Select priorities of this force area's police and crime plan"),
        },
    )

    def __init__(self, *args, plan: PartnershipPlan, priority: PlanPriority | None, **kwargs):
        kwargs = self._with_revision(
            kwargs,
            priority,
            priority
            and {
                "theme": priority.theme,
                "rationale": priority.rationale,
                "objectives": priority.objectives,
                "pcc_priorities": list(priority.pcc_priorities.all()),
            },
        )
        super().__init__(*args, **kwargs)
        # Retired priorities only where this priority already serves them.
        choices = PoliceAndCrimePlanPriority.objects.filter(
            police_force_area_id=plan.partnership.police_force_area_id
        )
        still_offered = Q(retired_at__isnull=True)
        if priority is not None:
            still_offered |= Q(plan_priorities=priority)
        choices = choices.filter(still_offered).distinct()
        self.fields["pcc_priorities"].queryset = choices
        if not choices:
            del self.fields["pcc_priorities"]
            self.build_helper()
        self.add_welsh(plan.partnership, priority)


class PlanActionForm(GovukFormMixin, _RevisionMixin, WelshFieldsMixin, forms.Form):
    submit_label = _("Save action")
    welsh_fields = {"description": "description_cy", "resources": "resources_cy"}

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("What will be done"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what will be done")},
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Select the lead organisation"),
            "invalid_choice": _("Select an organisation that sits on this partnership"),
        },
    )
    supporting_organisations = forms.ModelMultipleChoiceField(
        label=_("Supporting organisations (optional)"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select organisations that sit on this partnership"),
            "invalid_pk_value": _("Select organisations that sit on this partnership"),
        },
    )
    start_date = GovukDateField(label=_("Start date"))
    due_date = GovukDateField(label=_("Due date"))
    resources = forms.CharField(
        label=_("Resources (optional)"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People, money or services the partners commit to it."),
    )

    def __init__(self, *args, plan: PartnershipPlan, action: PlanAction | None, **kwargs):
        kwargs = self._with_revision(
            kwargs,
            action,
            action
            and {
                "description": action.description,
                "lead_organisation": action.lead_organisation,
                "supporting_organisations": list(action.supporting_organisations.all()),
                "start_date": action.start_date,
                "due_date": action.due_date,
                "resources": action.resources,
            },
        )
        super().__init__(*args, **kwargs)
        seated = Organisation.objects.filter(
            partner_seats__partnership_id=plan.partnership_id
        ).order_by("name")
        self.fields["lead_organisation"].queryset = seated
        self.fields["supporting_organisations"].queryset = seated
        for name in ("start_date", "due_date"):
            # GOV.UK date input hints: the numbers as typed, no leading zeros.
            self.fields[name].help_text = _(
                "Between %(start)s and %(end)s, for example, %(example)s"
            ) % {
                "start": date_format(plan.starts_on, "j F Y"),
                "end": date_format(plan.ends_on, "j F Y"),
                "example": f"{plan.starts_on.day} {plan.starts_on.month} {plan.starts_on.year}",
            }
        self.add_welsh(plan.partnership, action)


class MeasureForm(GovukFormMixin, WelshFieldsMixin, forms.Form):
    submit_label = _("Save measure")
    welsh_fields = {"name": "name_cy"}

    name = forms.CharField(
        label=_("Measure"),
        max_length=200,
        help_text=_("For example, Repeat victims of domestic abuse"),
        error_messages={"required": _("Enter what is measured")},
    )
    unit = forms.CharField(label=_("Unit (optional)"), max_length=40, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the baseline"),
            "invalid": _("Enter the baseline as a number, like 420 or 12.5"),
        },
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the target"),
            "invalid": _("Enter the target as a number, like 380 or 12.5"),
        },
    )
    higher_is_better = forms.TypedChoiceField(
        label=_("Which way is better?"),
        choices=[("true", _("Higher is better")), ("false", _("Lower is better"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select which way is better")},
    )

    series = forms.ChoiceField(
        label=_("Fill the actual from imported figures (optional)"),
        required=False,
        help_text=_(
            "A measure filled from police recorded crime gets its actual from each import of the "
            "table, with where it came from; the lead organisation can comment on it but not "
            "type it."
        ),
        error_messages={"invalid_choice": _("Choose one of the listed series, or none")},
    )

    def __init__(self, *args, plan: PartnershipPlan, measure=None, **kwargs):
        if measure is not None:
            kwargs["initial"] = {
                "name": measure.name,
                "unit": measure.unit,
                "baseline": measure.baseline,
                "target": measure.target,
                "higher_is_better": "true" if measure.higher_is_better else "false",
                "series": measure.series,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = series_choices()
        self.add_welsh(plan.partnership, measure)


class ApprovalRuleForm(GovukFormMixin, forms.Form):
    submit_label = _("Save the rule")

    seats = forms.MultipleChoiceField(
        label=_("Which seats must sign the plan off?"),
        choices=Seat.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A strategy group member of each seat you choose signs the plan off; the last "
            "sign-off approves it."
        ),
        error_messages={"required": _("Choose at least one seat")},
    )


class CompareForm(PlainTextFormMixin, forms.Form):
    """Which other version to compare with (a GET form)."""

    other = forms.TypedChoiceField(label=_("Compare with"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (
                plan.pk,
                _("Version %(version)s (%(status)s)")
                % {"version": plan.version, "status": plan.get_status_display().lower()},
            )
            for plan in versions
        ]
