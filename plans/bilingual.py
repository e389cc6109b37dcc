"""Welsh partnerships publish their plan in Welsh and in English (issue 16; the Welsh Language
Standards: Welsh no less favourably than English).

The published texts are kept side by side in explicit ``*_cy`` columns on the rows that hold the
English (``PlanSection.body_cy``, ``PlanPriority.objectives_cy``, ``PlanAction.description_cy``,
``Measure.name_cy``): plain fields that the version copy, the snapshot and the audit name one by
one, rather than a library that swaps columns by the active language and so falls back to English
without anyone deciding to.

A Welsh text that is missing is never filled with English: the plan page lists each one with a
link to where to enter it, and the plan policy refuses sign-off and publication until none is
missing (``PlanPolicy.not_now``), so the services refuse them too.

The full plan (the members' PDF) shows more than is published: every section, each priority's
reasons (``rationale_cy``) and each action's resources (``resources_cy``). Its Welsh PDF is made
only when all of those have their Welsh too (``missing_welsh(plan, full=True)``); until then it
is not offered, and the documents page says which texts it waits for.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from authorities.models import Nation
from partnerships.models import Partnership

from .models import Measure, PartnershipPlan, PlanAction, PlanPriority, PlanSection, PlanSectionKind

WELSH = "cy"
ENGLISH = "en"

# The sections the public summary shows; the plan's other sections are in the full plan only.
PUBLISHED_SECTIONS = (PlanSectionKind.SUMMARY, PlanSectionKind.WELLBEING_PLAN)
WELSH_ONLY_SECTIONS = frozenset({PlanSectionKind.WELLBEING_PLAN})


def is_bilingual(partnership: Partnership) -> bool:
    return partnership.nation == Nation.WALES


def languages(partnership: Partnership) -> list[str]:
    """The languages the partnership publishes in, English first."""
    return [ENGLISH, WELSH] if is_bilingual(partnership) else [ENGLISH]


def section_kinds(partnership: Partnership) -> list[str]:
    """The plan's sections, in order: the Public Services Board's well-being plan only in Wales."""
    return [
        kind
        for kind in PlanSectionKind.values
        if kind not in WELSH_ONLY_SECTIONS or is_bilingual(partnership)
    ]


def _untranslated(english: str, welsh: str) -> Q:
    return ~Q(**{english: ""}) & Q(**{welsh: ""})


def _missing_querysets(plan: PartnershipPlan, *, full: bool = False):
    sections = PlanSection.objects.filter(_untranslated("body", "body_cy"), plan=plan)
    priorities = _untranslated("objectives", "objectives_cy")
    actions = _untranslated("description", "description_cy")
    if full:
        priorities |= _untranslated("rationale", "rationale_cy")
        actions |= _untranslated("resources", "resources_cy")
    else:
        sections = sections.filter(kind__in=PUBLISHED_SECTIONS)
    return (
        sections,
        PlanPriority.objects.filter(priorities, plan=plan),
        PlanAction.objects.filter(actions, plan=plan),
        Measure.objects.filter(_untranslated("name", "name_cy"), action__plan=plan),
    )


def welsh_is_missing(plan: PartnershipPlan) -> bool:
    """Whether any text the plan publishes lacks its Welsh (always False, and no query, in
    England): at most four small queries, stopping at the first that finds one."""
    if not is_bilingual(plan.partnership):
        return False
    return any(queryset.exists() for queryset in _missing_querysets(plan))


@dataclass(frozen=True)
class MissingWelsh:
    what: str
    url: str


def missing_welsh(plan: PartnershipPlan, *, full: bool = False) -> list[MissingWelsh]:
    """Each published text of a Welsh partnership's plan without its Welsh (``full``: each text
    of the full plan), in the plan's order, with the address of the form where it is entered
    (four queries; none in England)."""
    if not is_bilingual(plan.partnership):
        return []
    slug = plan.partnership.slug
    sections, priorities, actions, measures = _missing_querysets(plan, full=full)
    missing = []
    order = {kind: index for index, kind in enumerate(PlanSectionKind.values)}
    for section in sorted(sections, key=lambda s: order[s.kind]):
        missing.append(
            MissingWelsh(
                what=section.get_kind_display(),
                url=reverse("plans:section_edit", args=[slug, plan.pk, section.kind]),
            )
        )
    for priority in priorities.order_by("position", "pk"):
        missing.append(
            MissingWelsh(
                what=(
                    _("Why %(theme)s is a priority")
                    if full and not (priority.objectives and not priority.objectives_cy)
                    else _("Objectives of the priority %(theme)s")
                )
                % {"theme": priority.get_theme_display()},
                url=reverse("plans:priority_edit", args=[slug, plan.pk, priority.pk]),
            )
        )
    for action in actions.select_related("priority"):
        missing.append(
            MissingWelsh(
                what=_("Action “%(description)s”") % {"description": action.description[:80]},
                url=reverse("plans:action_edit", args=[slug, plan.pk, action.pk]),
            )
        )
    for measure in measures.select_related("action__priority").order_by(
        "action__priority__position", "action__position", "position", "pk"
    ):
        missing.append(
            MissingWelsh(
                what=_("Measure “%(name)s”") % {"name": measure.name},
                url=reverse("plans:measure_edit", args=[slug, plan.pk, measure.pk]),
            )
        )
    return missing


def in_language(english: str, welsh: str, language: str) -> str:
    """The text in ``language``: the Welsh only when Welsh is asked for (never English instead)."""
    return welsh if language == WELSH else english


def missing_report_welsh(*, narrative: str, narrative_cy: str) -> dict[str, str]:
    """What a Welsh partnership's progress report lacks in one of its languages, by field: its
    summary for the committee is optional, but once written in one language it is needed in the
    other (the figures' words come from the plan in force, whose Welsh sign-off required)."""
    if narrative and not narrative_cy:
        return {
            "narrative_cy": _(
                "Enter the summary for the committee in Welsh too: the report is issued in "
                "Welsh and in English. Missing: the summary in Welsh."
            )
        }
    if narrative_cy and not narrative:
        return {
            "narrative": _(
                "Enter the summary for the committee in English too: the report is issued in "
                "Welsh and in English. Missing: the summary in English."
            )
        }
    return {}
