"""What changed between two versions of a plan: each version written out as headed blocks of
lines, compared line by line with difflib. Text written in Markdown is compared as it reads
(a paragraph or a list item a line, bold as bold: csp_portal.richtext.blocks), never as its
source, so a comparison never shows ``**also**``.

A Welsh partnership's Welsh texts (``*_cy``, plans.bilingual) are compared too: each follows its
English, labelled "Welsh" and marked ``lang="cy"``, so a change to the Welsh alone shows as a
change. An English partnership's outline has no Welsh lines."""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from csp_portal.richtext import Block, blocks

from ..bilingual import is_bilingual
from ..models import PartnershipPlan, PlanSectionKind


def _plain(text: str) -> Block:
    return Block(text, escape(text))


def _labelled(label: str, source: str) -> list[Block]:
    """A Markdown field under a label: "Why: " before its first block."""
    found = blocks(source)
    if not found:
        return [_plain(f"{label}: –")]
    first = found[0]
    return [
        Block(f"{label}: {first.text}", SafeString(f"{escape(label)}: {first.html}")),
        *found[1:],
    ]


def _welsh(label: str, source: str) -> list[Block]:
    """A Welsh text as lines under its label, each marked as Welsh; none when it is blank (an
    English text not yet translated is flagged on the plan page, not here)."""
    if not source.strip():
        return []
    return [
        Block(block.text, SafeString(f'<span lang="cy">{block.html}</span>'))
        for block in _labelled(label, source)
    ]


def outline(plan: PartnershipPlan) -> dict[str, list[Block]]:
    """The plan's content as {heading: lines}, in document order (uses prefetched rows)."""
    order = {kind: index for index, kind in enumerate(PlanSectionKind.values)}
    bilingual = is_bilingual(plan.partnership)
    outlined: dict[str, list[Block]] = {}
    for section in sorted(plan.sections.all(), key=lambda s: order[s.kind]):
        lines = blocks(section.body)
        if bilingual:
            lines += _welsh(_("Welsh"), section.body_cy)
        if section.kind == PlanSectionKind.INFORMATION_SHARING:
            lines += map(
                _plain,
                [
                    _("Protocol: %(title)s") % {"title": section.protocol_title},
                    _("Signatories: %(names)s") % {"names": ", ".join(section.signatories)},
                    _("Review date: %(date)s")
                    % {
                        "date": section.protocol_review_date.isoformat()
                        if section.protocol_review_date
                        else "–"
                    },
                ],
            )
        outlined[str(section.get_kind_display())] = lines
    for priority in plan.priorities.all():
        lines = [
            *_labelled(_("Why"), priority.rationale),
            *(_welsh(_("Why, in Welsh"), priority.rationale_cy) if bilingual else []),
            *_labelled(_("Objectives"), priority.objectives),
            *(_welsh(_("Objectives in Welsh"), priority.objectives_cy) if bilingual else []),
            _plain(
                _("Police and crime plan: %(titles)s")
                % {"titles": ", ".join(p.title for p in priority.pcc_priorities.all()) or "–"}
            ),
        ]
        for action in priority.actions.all():
            lines.append(
                _plain(
                    _("Action: %(what)s – led by %(lead)s, %(start)s to %(due)s")
                    % {
                        "what": action.description,
                        "lead": action.lead_organisation.name,
                        "start": action.start_date.isoformat(),
                        "due": action.due_date.isoformat(),
                    }
                )
            )
            if bilingual:
                lines += _welsh(_("Action in Welsh"), action.description_cy)
            for m in action.measures.all():
                lines.append(
                    _plain(
                        _("Measure: %(name)s, baseline %(baseline)s, target %(target)s")
                        % {"name": m.name, "baseline": m.baseline, "target": m.target}
                    )
                )
                if bilingual:
                    lines += _welsh(_("Measure in Welsh"), m.name_cy)
        heading = _("Priority: %(theme)s") % {"theme": priority.get_theme_display()}
        outlined[heading] = lines
    return outlined


@dataclass(frozen=True)
class Line:
    change: str  # "same", "added" or "removed"
    text: str
    html: SafeString  # the line as it reads, cleaned (csp_portal.richtext)


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
        old_text, new_text = [b.text for b in old], [b.text for b in new]
        lines = []
        matcher = difflib.SequenceMatcher(a=old_text, b=new_text)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines += [Line("same", b.text, b.html) for b in old[i1:i2]]
                continue
            lines += [Line("removed", b.text, b.html) for b in old[i1:i2]]
            lines += [Line("added", b.text, b.html) for b in new[j1:j2]]
        changes.append(BlockChange(heading, lines))
    return changes
