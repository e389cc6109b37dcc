"""What changed between two versions of a plan: each version written out as headed blocks of
lines, compared line by line with difflib."""

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import PartnershipPlan, PlanSectionKind


def outline(plan: PartnershipPlan) -> dict[str, list[str]]:
    """The plan's content as {heading: lines}, in document order (uses prefetched rows)."""
    order = {kind: index for index, kind in enumerate(PlanSectionKind.values)}
    blocks: dict[str, list[str]] = {}
    for section in sorted(plan.sections.all(), key=lambda s: order[s.kind]):
        lines = section.body.splitlines()
        if section.kind == PlanSectionKind.INFORMATION_SHARING:
            lines += [
                _("Protocol: %(title)s") % {"title": section.protocol_title},
                _("Signatories: %(names)s") % {"names": ", ".join(section.signatories)},
                _("Review date: %(date)s")
                % {
                    "date": section.protocol_review_date.isoformat()
                    if section.protocol_review_date
                    else "–"
                },
            ]
        blocks[str(section.get_kind_display())] = [line for line in lines if line.strip()]
    for priority in plan.priorities.all():
        lines = [
            _("Why: %(text)s") % {"text": priority.rationale},
            _("Objectives: %(text)s") % {"text": priority.objectives or "–"},
            _("Police and crime plan: %(titles)s")
            % {"titles": ", ".join(p.title for p in priority.pcc_priorities.all()) or "–"},
        ]
        for action in priority.actions.all():
            lines.append(
                _("Action: %(what)s – led by %(lead)s, %(start)s to %(due)s")
                % {
                    "what": action.description,
                    "lead": action.lead_organisation.name,
                    "start": action.start_date.isoformat(),
                    "due": action.due_date.isoformat(),
                }
            )
            lines += [
                _("Measure: %(name)s, baseline %(baseline)s, target %(target)s")
                % {"name": m.name, "baseline": m.baseline, "target": m.target}
                for m in action.measures.all()
            ]
        heading = _("Priority: %(theme)s") % {"theme": priority.get_theme_display()}
        blocks[heading] = lines
    return blocks


@dataclass(frozen=True)
class Line:
    change: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class BlockChange:
    heading: str
    lines: list[Line]

    @property
    def changed(self) -> bool:
        return any(line.change != "same" for line in self.lines)


def compare(older: PartnershipPlan, newer: PartnershipPlan) -> list[BlockChange]:
    before, after = outline(older), outline(newer)
    headings = list(before) + [heading for heading in after if heading not in before]
    changes = []
    for heading in headings:
        old, new = before.get(heading, []), after.get(heading, [])
        lines = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
            if tag == "equal":
                lines += [Line("same", text) for text in old[i1:i2]]
                continue
            lines += [Line("removed", text) for text in old[i1:i2]]
            lines += [Line("added", text) for text in new[j1:j2]]
        changes.append(BlockChange(heading, lines))
    return changes
