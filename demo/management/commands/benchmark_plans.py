"""Time rendering the full partnership plan PDF against WeasyPrint rendering plain HTML documents
of the same number of pages, measured in the same run.

Two baselines, because a page of tables costs WeasyPrint three to four times a page of prose:

- *plain prose*: paragraphs under WeasyPrint's default stylesheet (the floor any PDF pays);
- *plain, same content*: the plan's own HTML with our stylesheets taken out, under WeasyPrint's
  default stylesheet, padded with paragraphs to the same page count. Against it the ratio is our
  overhead: loading the plan, the templates, the print stylesheet, the charts' layout and tagging.

By default the plan has 12 priorities and 120 actions, each with a measure and a quarter's actual,
every section written, approved by the five statutory seats. Each round renders ours and both
baselines one after the other, so that a busy machine slows all three alike. Everything it writes
is rolled back at the end, so it can run against any database.
"""

import io
import re
import statistics
import time
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from assessments.models import PriorityTheme, SectionKind
from assessments.services import assessments as assessment_services
from authorities.models import Nation, OrganisationKind, PoliceForceArea
from authorities.services import organisation_create
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from partnerships.services import membership_create, partner_organisation_add, partnership_create
from plans.documents import PLAN_TEMPLATE, plan_context, render_document
from plans.models import DocumentKind, MeasureActual, PlanSectionKind, PoliceAndCrimePlanPriority
from plans.selectors.documents import plan_for_rendering
from plans.services import approval, drafting

from .benchmark_assessments import PARAGRAPH, _page_count, _render_plain

SEAT_KINDS = {
    Seat.POLICE: OrganisationKind.POLICE_FORCE,
    Seat.LOCAL_AUTHORITY: OrganisationKind.LOCAL_AUTHORITY,
    Seat.FIRE_AND_RESCUE: OrganisationKind.FIRE_AND_RESCUE,
    Seat.PROBATION: OrganisationKind.PROBATION,
    Seat.HEALTH: OrganisationKind.HEALTH,
}
YEAR = 2027
# Issue 4: our overhead at most 1.3 times WeasyPrint rendering the same pages of plain HTML.
OVERHEAD_TARGET = 1.3


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--priorities", type=int, default=12)
        parser.add_argument(
            "--actions", type=int, default=10, help="Actions in each priority (one measure each)."
        )
        parser.add_argument(
            "--paragraphs",
            type=int,
            default=3,
            help="Paragraphs in each section of the plan (each about two prose paragraphs long).",
        )
        parser.add_argument(
            "--profile", action="store_true", help="Also print where one render spends its time."
        )

    def handle(
        self,
        *args,
        repeat: int,
        priorities: int,
        actions: int,
        paragraphs: int,
        profile: bool,
        **options,
    ):
        if not 1 <= priorities <= len(PriorityTheme.values):
            raise ValueError(f"--priorities is 1 to {len(PriorityTheme.values)}")
        try:
            with transaction.atomic():
                self._run(repeat, priorities, actions, paragraphs, profile)
                raise _Rollback
        except _Rollback:
            self.stdout.write("(everything the benchmark wrote has been rolled back)")

    def _run(
        self, repeat: int, priorities: int, actions: int, paragraphs: int, profile: bool
    ) -> None:
        plan_id = self._approved_plan(priorities, actions, paragraphs)
        started = time.perf_counter()
        plan = plan_for_rendering(plan_id=plan_id)
        load = time.perf_counter() - started

        def ours():
            return render_document(plan_for_rendering(plan_id=plan_id), DocumentKind.PLAN)

        pdf = ours()
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        prose = _plain_document(pages)
        same_content = _plain_same_content(_plan_html(plan), pages)
        timings = _interleaved_medians(
            {
                "ours": ours,
                "prose": lambda: _render_plain(prose),
                "same": lambda: _render_plain(same_content),
            },
            repeat,
        )
        ours_seconds = timings["ours"]
        self.stdout.write(
            f"Partnership plan PDF ({priorities} priorities, {priorities * actions} actions, "
            f"{pages} pages, {len(pdf) / 1024:.0f} KB, median of {repeat})"
        )
        rows = [
            ("loading the plan (queries)", load),
            ("baseline: plain prose, same pages", timings["prose"]),
            ("baseline: plain, same content and pages", timings["same"]),
            ("our plan PDF (load and render)", ours_seconds),
        ]
        for label, seconds in rows:
            self.stdout.write(f"  {label + ':':<43}{seconds * 1000:9.1f} ms")
        self.stdout.write(
            f"  {'ratio ours / plain prose:':<43}{ours_seconds / timings['prose']:9.2f}x"
        )
        overhead = ours_seconds / timings["same"]
        verdict = "within" if overhead <= OVERHEAD_TARGET else "over"
        self.stdout.write(
            f"  {'ratio ours / baseline (same content):':<43}{overhead:9.2f}x"
            f"  ({verdict} the {OVERHEAD_TARGET}x target)"
        )
        if profile:
            self._profile(plan)

    def _profile(self, plan) -> None:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(render_document, plan, DocumentKind.PLAN)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        self.stdout.write(out.getvalue())

    def _approved_plan(self, priorities: int, actions: int, paragraphs: int) -> int:
        force = PoliceForceArea.objects.filter(code="E23000005").first()
        force = force or PoliceForceArea.objects.create(
            code="E23000005", name="Greater Manchester", edition="bench"
        )
        partnership = partnership_create(
            acting_user=None,
            name="Benchmark Trafford",
            slug="benchmark-trafford-plan",
            nation=Nation.ENGLAND,
            ons_code="E22000107",
            ons_edition="bench",
            police_force_area=force,
            districts=[],
        )
        organisations, strategy = {}, {}
        for seat, kind in SEAT_KINDS.items():
            organisation = organisation_create(
                acting_user=None, name=f"Benchmark {seat}", kind=kind, nation=Nation.ENGLAND
            )
            partner_organisation_add(
                acting_user=None, partnership=partnership, organisation=organisation, seat=seat
            )
            user = User.objects.create_user(
                f"bench-plan-{seat}@example.invalid", None, full_name=f"Benchmark {seat} member"
            )
            membership_create(
                acting_user=None,
                partnership=partnership,
                user=user,
                role=Role.STRATEGY_MEMBER,
                organisation=organisation,
            )
            organisations[seat], strategy[seat] = organisation, user
        coordinator = User.objects.create_user(
            "bench-plan-coordinator@example.invalid", None, full_name="Benchmark coordinator"
        )
        membership_create(
            acting_user=None,
            partnership=partnership,
            user=coordinator,
            role=Role.COORDINATOR,
            organisation=organisations[Seat.LOCAL_AUTHORITY],
        )
        assessment = self._approved_assessment(partnership, coordinator, strategy[Seat.POLICE])
        plan = drafting.plan_start(
            acting_user=coordinator, partnership=partnership, assessment=assessment
        )
        body = "\n\n".join([PARAGRAPH * 2] * paragraphs)
        for section in plan.sections.all():
            drafting.plan_section_update(
                acting_user=coordinator,
                section=section,
                revision=section.revision,
                body=body,
                **(
                    {
                        "protocol_title": "Benchmark information sharing protocol",
                        "protocol_signatories": "\n".join(str(s) for s in SEAT_KINDS),
                        "protocol_review_date": date(YEAR + 1, 6, 30),
                    }
                    if section.kind == PlanSectionKind.INFORMATION_SHARING
                    else {}
                ),
            )
        pcc = [
            PoliceAndCrimePlanPriority.objects.get_or_create(
                police_force_area=force, title=title, defaults={"position": index}
            )[0]
            for index, title in enumerate(["Keeping people safe", "Reducing harm"], start=1)
        ]
        for existing in plan.priorities.all():
            drafting.plan_priority_remove(acting_user=coordinator, priority=existing)
        seats = list(SEAT_KINDS)
        for number, theme in enumerate(PriorityTheme.values[:priorities]):
            priority = drafting.plan_priority_save(
                acting_user=coordinator,
                plan=plan,
                theme=theme,
                rationale=PARAGRAPH * 2,
                objectives="\n".join(f"- {line}" for line in PARAGRAPH.split(". ") if line.strip()),
                pcc_priorities=pcc[: 1 + number % 2],
            )
            for index in range(actions):
                action = drafting.plan_action_save(
                    acting_user=coordinator,
                    priority=priority,
                    description=f"Action {index + 1}: " + PARAGRAPH[:160],
                    lead_organisation=organisations[seats[index % len(seats)]],
                    supporting_organisations=[organisations[seats[(index + 1) % len(seats)]]],
                    start_date=date(YEAR, 4, 1),
                    due_date=date(YEAR + 1 + index % 2, 3, 31),
                    resources="Two officers and a share of the partnership fund",
                )
                measure = drafting.measure_save(
                    acting_user=coordinator,
                    action=action,
                    name=f"Incidents reported in hotspot {index + 1}",
                    unit="incidents",
                    baseline=Decimal(400 + index),
                    target=Decimal(320),
                    higher_is_better=False,
                )
                # No service records actuals yet; the rows are rolled back with the rest.
                MeasureActual.objects.create(
                    measure=measure, year_start=YEAR, quarter=1, value=Decimal(380 - index)
                )
        approval.plan_open_consultation(acting_user=coordinator, plan=plan)
        for user in strategy.values():
            approval.plan_sign_off(
                acting_user=user,
                membership=membership_for(user=user, partnership_slug=partnership.slug),
                plan=plan,
            )
        return plan.pk

    def _approved_assessment(self, partnership, coordinator, approver):
        assessment = assessment_services.assessment_start(
            acting_user=coordinator, partnership=partnership, year_start=YEAR
        )
        assessment_services.assessment_open_contributions(
            acting_user=coordinator, assessment=assessment
        )
        for section in assessment.sections.all():
            assessment_services.assessment_section_update(
                acting_user=coordinator,
                section=section,
                revision=section.revision,
                body=PARAGRAPH,
                public_meeting_date=date(2026, 11, 12)
                if section.kind == SectionKind.COMMUNITY
                else None,
            )
        assessment_services.priority_save(
            acting_user=coordinator,
            assessment=assessment,
            theme=PriorityTheme.ANTI_SOCIAL_BEHAVIOUR,
            rationale=PARAGRAPH,
            evidence=PARAGRAPH,
        )
        assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=assessment
        )
        return assessment_services.assessment_approve(
            acting_user=approver,
            assessment=assessment,
        )


def _interleaved_medians(actions: dict, repeat: int) -> dict[str, float]:
    """Each action's median time over ``repeat`` rounds, every round running each action once."""
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in timings.items()}


def _plan_html(plan) -> str:
    return render_to_string(PLAN_TEMPLATE, {"created": timezone.now(), **plan_context(plan)})


_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL | re.IGNORECASE)


def _plain_same_content(html: str, pages: int) -> str:
    """The plan's HTML without its stylesheets, padded with paragraphs until it has ``pages``."""
    plain = _STYLE_ELEMENT.sub("", html)
    head, tail = plain.rsplit("</body>", 1)

    def padded(paragraphs: int) -> str:
        return head + f"<p>{PARAGRAPH * 3}</p>" * paragraphs + "</body>" + tail

    # Start below the need (a default-styled page holds about three such paragraphs), then add
    # one at a time, so the baseline has exactly the pages ours has wherever it can.
    missing = pages - _page_count(padded(0))
    paragraphs = max(0, 2 * missing)
    while missing > 0 and _page_count(padded(paragraphs)) < pages:
        paragraphs += 1
    return padded(paragraphs)


def _plain_document(pages: int) -> str:
    """Plain HTML with WeasyPrint's default stylesheet, grown until it has ``pages`` pages."""
    paragraphs = 1
    while True:
        html = (
            "<!doctype html><html lang=en><head><title>Plain</title></head><body>"
            + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(paragraphs))
            + "</body></html>"
        )
        count = _page_count(html)
        if count >= pages:
            return html
        paragraphs = max(paragraphs + 1, paragraphs * pages // max(count, 1))
