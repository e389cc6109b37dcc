"""The partnership plan and its published summary as tagged PDFs (PDF/UA-1), through the print
layout of ``documents/base.html``.

Everything a document shows is worked out here from a plan loaded by
``plans.selectors.documents.plan_for_rendering`` (or ``plans.selectors.published_plan``), so that
the templates only lay it out and rendering makes no query per row. Section text is Markdown and
reaches the templates only through ``csp_portal.richtext`` (the ``markdown`` filter).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.evidence import EvidenceItem
from assessments.models import PriorityTheme
from csp_portal.pdf import LONG, render_pdf
from csp_portal.site import site_url
from csp_portal.templatetags.figures import figure
from partnerships.identity import document_identity
from partnerships.models import Seat

from .bilingual import ENGLISH, WELSH, in_language, languages
from .charts import ProgressChart, actions_by_status_chart, progress_chart
from .evidence import plan_evidence
from .models import (
    ActionStatus,
    DocumentKind,
    Measure,
    PartnershipPlan,
    PlanAction,
    PlanDocument,
    PlanPriority,
    PlanSection,
    PlanSectionKind,
)
from .policies import required_seats
from .selectors import pcc_priorities_for
from .selectors.consultation import comment_counts
from .selectors.grants import grants_funding

PLAN_TEMPLATE = "plans/documents/plan_pdf.html"
PUBLIC_SUMMARY_URLS = {ENGLISH: "plans:public_summary", WELSH: "plans:public_summary_cy"}
SUMMARY_TEMPLATE = "plans/documents/summary_pdf.html"


@dataclass(frozen=True)
class MeasureRow:
    action_ref: str
    name: str
    unit: str
    baseline: str
    target: str
    higher_is_better: bool
    latest: str
    latest_period: str
    progress: int | None


@dataclass(frozen=True)
class ActionRow:
    ref: str
    description: str
    lead: str
    supporting: list[str]
    start_date: date
    due_date: date
    resources: str
    status: str
    status_label: str


@dataclass
class PriorityBlock:
    number: int
    anchor: str
    title: str
    heading: str
    priority: PlanPriority
    rationale: str
    objectives: str
    pcc_priorities: list[str]
    actions: list[ActionRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)
    measure_chart: ProgressChart | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def evidence_changed(self) -> bool:
        return any(item.changed for item in self.evidence)


def _progress(measure: Measure, latest: Decimal | None) -> int | None:
    """How far the latest actual has moved from the baseline (0%) to the target (100%)."""
    if latest is None or measure.target == measure.baseline:
        return None
    return round((latest - measure.baseline) * 100 / (measure.target - measure.baseline))


def _measure_row(action_ref: str, measure: Measure, language: str = ENGLISH) -> MeasureRow:
    actuals = list(measure.actuals.all())  # prefetched, oldest first
    latest = actuals[-1] if actuals else None
    return MeasureRow(
        action_ref=action_ref,
        name=in_language(measure.name, measure.name_cy, language),
        unit=measure.unit,
        baseline=figure(measure.baseline),
        target=figure(measure.target),
        higher_is_better=measure.higher_is_better,
        latest=figure(latest.value) if latest else "",
        latest_period=str(latest.period) if latest else "",
        progress=_progress(measure, latest.value if latest else None),
    )


def _action_row(ref: str, action: PlanAction, language: str = ENGLISH) -> ActionRow:
    return ActionRow(
        ref=ref,
        description=in_language(action.description, action.description_cy, language),
        lead=action.lead_organisation.name,
        supporting=sorted(o.name for o in action.supporting_organisations.all()),
        start_date=action.start_date,
        due_date=action.due_date,
        resources=in_language(action.resources, action.resources_cy, language),
        status=action.status,
        status_label=action.get_status_display(),
    )


def priority_blocks(
    plan: PartnershipPlan, *, charts: bool = True, public: bool = False, language: str = ENGLISH
) -> list[PriorityBlock]:
    """Each priority of the full plan, its words in ``language`` (the Welsh ones for ``WELSH``,
    never English in their place: the Welsh plan is made only when none is missing)."""
    blocks = []
    priorities = list(plan.priorities.all())
    evidence = plan_evidence(plan, priorities, public=public)
    for number, priority in enumerate(priorities, start=1):
        title = priority.get_theme_display()
        block = PriorityBlock(
            number=number,
            anchor=f"priority-{number}",
            title=title,
            heading=_("Priority %(number)s: %(title)s") % {"number": number, "title": title},
            priority=priority,
            rationale=in_language(priority.rationale, priority.rationale_cy, language),
            objectives=in_language(priority.objectives, priority.objectives_cy, language),
            pcc_priorities=[p.title for p in priority.pcc_priorities.all()],
            status_counts={status: 0 for status in ActionStatus.values},
            evidence=evidence.get(priority.pk, []),
        )
        for index, action in enumerate(priority.actions.all(), start=1):
            ref = f"{number}.{index}"
            block.actions.append(_action_row(ref, action, language))
            block.status_counts[action.status] += 1
            block.measures.extend(_measure_row(ref, m, language) for m in action.measures.all())
        if charts and block.measures:
            block.measure_chart = progress_chart(
                f"priority-{number}-measures",
                [(f"{m.action_ref} {m.name}", m.progress) for m in block.measures],
            )
        blocks.append(block)
    return blocks


def ordered_sections(plan: PartnershipPlan, language: str = ENGLISH) -> dict[str, PlanSection]:
    """The plan's sections by kind (prefetched rows), in the order ``PlanSectionKind`` lists. In
    Welsh, each is a copy that reads its Welsh text as its ``body`` (only for showing: the
    template's other fields, the protocol's among them, stay as they are)."""
    by_kind = {section.kind: section for section in plan.sections.all()}
    ordered = {kind: by_kind[kind] for kind in PlanSectionKind.values if kind in by_kind}
    if language == WELSH:
        for kind, section in ordered.items():
            ordered[kind] = copy.copy(section)
            ordered[kind].body = section.body_cy
    return ordered


def sign_off_rows(plan: PartnershipPlan) -> list[dict]:
    """Each seat the partnership's rule requires, with its sign-off if given (statutory order)."""
    signed = {sign_off.seat: sign_off for sign_off in plan.sign_offs.all()}
    required = required_seats(plan.partnership)
    seats = [seat for seat in Seat.values if seat in set(required) | set(signed)]
    return [
        {"seat": Seat(seat).label, "sign_off": signed.get(seat), "required": seat in required}
        for seat in seats
    ]


def _cover(plan: PartnershipPlan, title: str) -> dict:
    """What ``documents/base.html`` puts on the cover and at the top of every page."""
    status_line = ""
    if plan.is_editable:
        status_line = _("%(status)s: not approved") % {"status": plan.get_status_display()}
    return {
        "plan": plan,
        "partnership": plan.partnership,
        "identity": document_identity(plan.partnership),
        "document_title": title,
        "period": _("1 April %(start)s to 31 March %(end)s")
        % {"start": plan.starts_on.year, "end": plan.ends_on.year},
        "version": plan.version,
        "approved_on": plan.approved_at,
        "status_line": status_line,
        "protective_marking": _("DRAFT") if plan.is_editable else "",
    }


def plan_title(plan: PartnershipPlan) -> str:
    return _("Partnership plan %(period)s") % {"period": plan.period_label}


def summary_title(plan: PartnershipPlan) -> str:
    return _("Partnership plan %(period)s: summary") % {"period": plan.period_label}


def plan_context(plan: PartnershipPlan, language: str = ENGLISH) -> dict:
    """The full plan. ``language`` chooses the words people wrote, as for the summary; the
    caller renders it with that language active, for the labels and the /Lang."""
    sections = ordered_sections(plan, language)
    priorities = priority_blocks(plan, language=language)
    summary = sections.get(PlanSectionKind.SUMMARY)
    others = [section for kind, section in sections.items() if kind != PlanSectionKind.SUMMARY]
    contents = [("summary", _("Summary")), ("at-a-glance", _("Priorities at a glance"))]
    contents += [(block.anchor, block.heading) for block in priorities]
    contents += [(f"section-{section.kind}", section.get_kind_display()) for section in others]
    contents.append(("sign-off", _("Governance and sign-off")))
    served = {}
    for block in priorities:
        for title in block.pcc_priorities:
            served.setdefault(title, []).append(block.heading)
    pcc_alignment = [
        (pcc.title, served.get(pcc.title, []))
        for pcc in pcc_priorities_for(partnership=plan.partnership)
    ]
    return {
        **_cover(plan, plan_title(plan)),
        "contents": contents,
        "language": language,
        "summary": summary,
        "other_sections": others,
        "priorities": priorities,
        "status_chart": actions_by_status_chart(
            "plan-actions-by-status",
            [(block.heading, block.status_counts) for block in priorities],
        ),
        "statuses": [(status, status.label) for status in ActionStatus],
        "pcc_alignment": pcc_alignment,
        "sign_offs": sign_off_rows(plan),
        # Counted only once the version has been consulted on.
        "consultation": comment_counts(plan=plan) if plan.consultation_closes_on else None,
        "kinds": PlanSectionKind,
        # The resources section lists the grants funding this version (every change to one moves
        # the plan's content revision on, so the document is made again).
        "grant_rows": grants_funding(plan),
    }


@dataclass(frozen=True)
class SummaryAction:
    description: str
    lead: str
    due_date: date
    status: str
    status_label: str


@dataclass(frozen=True)
class SummaryMeasure:
    name: str
    unit: str
    baseline: str
    target: str


@dataclass(frozen=True)
class SummaryBlock:
    number: int
    anchor: str
    heading: str
    objectives: str
    actions: list[SummaryAction]
    measures: list[SummaryMeasure]
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def evidence_changed(self) -> bool:
        return any(item.changed for item in self.evidence)


def summary_snapshot(plan: PartnershipPlan) -> dict:
    """What the published summary shows, as data that does not change: codes and the words people
    wrote, never a translated label (those are looked up when it is shown, in the reader's
    language). A Welsh partnership's words are kept in English and in Welsh (``*_cy``), and
    ``languages`` says which it was published in. Taken when the version is published
    (``plan_publish``); a plan loaded by ``plan_for_rendering`` makes it in a fixed number of
    queries."""
    sections = ordered_sections(plan)
    summary = sections.get(PlanSectionKind.SUMMARY)
    wellbeing = sections.get(PlanSectionKind.WELLBEING_PLAN)
    priorities = []
    for priority in plan.priorities.all():
        actions, measures = [], []
        for action in priority.actions.all():
            actions.append(
                {
                    "description": action.description,
                    "description_cy": action.description_cy,
                    "lead": action.lead_organisation.name,
                    "due_date": action.due_date.isoformat(),
                    "status": action.status,
                }
            )
            measures.extend(
                {
                    "name": measure.name,
                    "name_cy": measure.name_cy,
                    "unit": measure.unit,
                    "baseline": str(measure.baseline),
                    "target": str(measure.target),
                }
                for measure in action.measures.all()
            )
        priorities.append(
            {
                "theme": priority.theme,
                "objectives": priority.objectives,
                "objectives_cy": priority.objectives_cy,
                "actions": actions,
                "measures": measures,
            }
        )
    signed = sorted(plan.sign_offs.all(), key=lambda s: Seat.values.index(s.seat))
    return {
        "taken_at": timezone.now().isoformat(),
        "languages": languages(plan.partnership),
        "summary": summary.body if summary else "",
        "summary_cy": summary.body_cy if summary else "",
        # The Public Services Board's well-being plan (Wales only): None where there is none.
        "wellbeing": (
            {"body": wellbeing.body, "body_cy": wellbeing.body_cy} if wellbeing else None
        ),
        "priorities": priorities,
        "signed_by": [{"seat": s.seat, "organisation": s.organisation_name} for s in signed],
    }


def _summary_blocks(snapshot: dict, language: str) -> list[SummaryBlock]:
    def text(record: dict, name: str) -> str:
        return in_language(record[name], record.get(f"{name}_cy", ""), language)

    blocks = []
    for number, priority in enumerate(snapshot["priorities"], start=1):
        title = PriorityTheme(priority["theme"]).label
        blocks.append(
            SummaryBlock(
                number=number,
                anchor=f"priority-{number}",
                heading=_("Priority %(number)s: %(title)s") % {"number": number, "title": title},
                objectives=text(priority, "objectives"),
                actions=[
                    SummaryAction(
                        description=text(action, "description"),
                        lead=action["lead"],
                        due_date=date.fromisoformat(action["due_date"]),
                        status=action["status"],
                        status_label=ActionStatus(action["status"]).label,
                    )
                    for action in priority["actions"]
                ],
                measures=[
                    SummaryMeasure(
                        name=text(measure, "name"),
                        unit=measure["unit"],
                        baseline=figure(Decimal(measure["baseline"])),
                        target=figure(Decimal(measure["target"])),
                    )
                    for measure in priority["measures"]
                ],
            )
        )
    return blocks


def summary_languages(plan: PartnershipPlan) -> list[str]:
    """The languages the summary comes in: those it was published in (a version published before
    Welsh was kept is English only), or for a preview, those the partnership publishes in."""
    if plan.published_summary is not None:
        return plan.published_summary.get("languages", [ENGLISH])
    return languages(plan.partnership)


def summary_cover(plan: PartnershipPlan) -> dict:
    """What the public summary page shows around its contents: the plan's own fields only."""
    return _cover(plan, summary_title(plan))


def summary_context(plan: PartnershipPlan, language: str = ENGLISH) -> dict:
    """The published summary: what the public page and the summary PDF both show, and nothing
    else (no rationale, resources, supporting organisations, actuals or people's names).
    ``language`` chooses the words people wrote (``WELSH`` the Welsh ones, never English in their
    place); the caller renders it with that language active, for the labels.

    One truth: a published (or superseded) version shows its summary as it was published, frozen
    in ``published_summary``, statuses included, in the page and the PDF alike; the page says so.
    A version not yet published (a preview of its summary PDF) shows the plan as it stands. The
    evidence behind each priority is cited by link to figures that never change once imported
    (a release, an accepted contribution), so it is read as it stands, with its public parts only.
    """
    snapshot = plan.published_summary or summary_snapshot(plan)
    plan_priorities = list(plan.priorities.all())
    evidence = plan_evidence(plan, plan_priorities, public=True)
    priorities = [
        replace(block, evidence=evidence.get(priority.pk, []))
        for block, priority in zip(
            _summary_blocks(snapshot, language), plan_priorities, strict=False
        )
    ]
    wellbeing = snapshot.get("wellbeing")
    frozen = plan.published_summary is not None
    contents = [("summary", _("Summary"))]
    if wellbeing is not None:
        contents.append(("wellbeing-plan", PlanSectionKind.WELLBEING_PLAN.label))
    contents += [(block.anchor, block.heading) for block in priorities]
    contents.append(("approval", _("Approval")))
    return {
        **_cover(plan, summary_title(plan)),
        "contents": contents,
        "language": language,
        # The same summary in its other language, once published: each document names the other.
        "other_languages": [
            (code, site_url(reverse(PUBLIC_SUMMARY_URLS[code], args=[plan.partnership.slug])))
            for code in summary_languages(plan)
            if frozen and code != language
        ],
        "summary": {
            "body": in_language(snapshot["summary"], snapshot.get("summary_cy", ""), language)
        },
        "wellbeing": (
            {"body": in_language(wellbeing["body"], wellbeing["body_cy"], language)}
            if wellbeing is not None
            else None
        ),
        "priorities": priorities,
        "signed_by": [
            (Seat(row["seat"]).label, row["organisation"]) for row in snapshot["signed_by"]
        ],
        # When the statuses it shows were true: publication (frozen), or now (a live preview).
        "as_at": plan.published_at if frozen and plan.published_at else timezone.now(),
        "frozen": frozen,
    }


def render_document(plan: PartnershipPlan, kind: str) -> bytes:
    """The document in the active language: its labels, its /Lang and, for the summary, the
    words people wrote in that language (the worker activates the document's own)."""
    language = WELSH if translation.get_language() == WELSH else ENGLISH
    if kind == DocumentKind.SUMMARY:
        return render_pdf(template_name=SUMMARY_TEMPLATE, context=summary_context(plan, language))
    # The whole plan is long (a page for each priority): rendered long first.
    return render_pdf(
        template_name=PLAN_TEMPLATE, context=plan_context(plan, language), layout=LONG
    )


def document_filename(plan: PartnershipPlan, kind: str, language: str = ENGLISH) -> str:
    title = summary_title(plan) if kind == DocumentKind.SUMMARY else plan_title(plan)
    stem = slugify(f"{plan.partnership.name} {title} v{plan.version}")
    return f"{stem}-{WELSH}.pdf" if language == WELSH else f"{stem}.pdf"


def document_bytes(document: PlanDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


# Progress reports -----------------------------------------------------------------------------

PROGRESS_REPORT_TEMPLATE = "plans/reports/report_pdf.html"


def progress_report_title(view) -> str:
    return _("Progress report %(quarter)s") % {"quarter": view.report.period}


def progress_report_chart(view):
    """Actions by status for each priority, from the report's stored counts."""
    return actions_by_status_chart(
        "report-actions-by-status",
        [
            (
                row.title,
                {
                    status: change.now
                    for (status, _label), change in zip(view.statuses, row.counts, strict=True)
                },
            )
            for row in view.by_priority
        ],
    )


def progress_report_context(view) -> dict:
    report = view.report
    plan = report.figures["plan"]
    return {
        "view": view,
        "report": report,
        "partnership": report.partnership,
        "identity": document_identity(report.partnership),
        "document_title": progress_report_title(view),
        "period": _("Partnership plan %(period)s, version %(version)s")
        % {"period": plan["period"], "version": plan["version"]},
        "status_chart": progress_report_chart(view),
        "contents": [
            *([("narrative", _("Summary for the committee"))] if view.narrative else []),
            ("by-status", _("Actions by status")),
            ("overdue", _("What is overdue")),
            ("measures", _("Measures against target")),
            ("reviews", _("Domestic homicide reviews")),
        ],
    }


def progress_report_pdf(view) -> bytes:
    return render_pdf(template_name=PROGRESS_REPORT_TEMPLATE, context=progress_report_context(view))


def progress_report_filename(view, language: str = ENGLISH) -> str:
    stem = slugify(f"{view.report.partnership.name} {progress_report_title(view)}")
    return f"{stem}-{WELSH}.pdf" if language == WELSH else f"{stem}.pdf"
