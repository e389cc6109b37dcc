"""How a recommended priority's cited evidence reads, wherever it is shown (the assessment, the
plan page, its PDF and the public summary): each citation as a title, its figures, a link to the
record, and whether it has changed since a given moment (the plan's approval). Reads only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from csp_portal.templatetags.figures import figure
from recorded_crime.models import AreaKind, CrimeArea, CrimeRelease
from recorded_crime.offences import BY_KEY

from .models import ContributionFigure, EvidenceKind, PriorityEvidence, SectionKind


@dataclass(frozen=True)
class EvidenceItem:
    kind: str
    title: str
    figures: list[str]
    url: str
    public: bool
    changed: bool


def citations_for(priority_ids: Iterable[int]) -> dict[int, list[PriorityEvidence]]:
    """Recommended priority id -> its citations, with what they point at; two queries."""
    found: dict[int, list[PriorityEvidence]] = {}
    for citation in (
        PriorityEvidence.objects.filter(priority_id__in=list(priority_ids))
        .select_related(
            "priority__assessment__partnership", "release", "contribution__organisation", "section"
        )
        .prefetch_related(
            Prefetch(
                "contribution__figures", queryset=ContributionFigure.objects.order_by("position")
            )
        )
    ):
        found.setdefault(citation.priority_id, []).append(citation)
    return found


def evidence_items(
    citations: list[PriorityEvidence], *, since: datetime | None = None, newest_release=None
) -> list[EvidenceItem]:
    """``since``: flag what changed after it (a newer release than the one cited, a corrected
    release, a contribution or the findings edited). ``newest_release``: the newest release with
    figures for the partnership (``newest_release_for``)."""
    items = []
    for citation in citations:
        assessment = citation.priority.assessment
        page = reverse("assessments:detail", args=[assessment.partnership.slug, assessment.pk])
        if citation.kind == EvidenceKind.CRIME:
            group = BY_KEY.get(citation.offence_key)
            code = assessment.partnership.ons_code.lower()
            changed = since is not None and (
                citation.release is None
                or (newest_release is not None and newest_release.pk != citation.release_id)
                or citation.release.imported_at > since
            )
            items.append(
                EvidenceItem(
                    kind=citation.kind,
                    title=_("Police recorded crime: %(group)s, %(period)s")
                    % {
                        "group": group.label if group else citation.offence_key,
                        "period": citation.release_label,
                    },
                    figures=[]
                    if citation.count is None
                    else [_("%(count)s offences") % {"count": figure(citation.count)}],
                    url=f"{page}#crime-{code}-heading",
                    public=True,
                    changed=changed,
                )
            )
        elif citation.kind == EvidenceKind.CONTRIBUTION:
            contribution = citation.contribution
            items.append(
                EvidenceItem(
                    kind=citation.kind,
                    title=_("%(organisation)s: %(title)s")
                    % {"organisation": contribution.organisation.name, "title": contribution.title},
                    figures=[
                        f"{row.label}: {figure(row.value)}" + (f" {row.unit}" if row.unit else "")
                        for row in contribution.figures.all()
                    ],
                    url=reverse(
                        "assessments:contribution",
                        args=[assessment.partnership.slug, contribution.pk],
                    ),
                    public=False,
                    changed=since is not None and contribution.updated_at > since,
                )
            )
        else:
            items.append(
                EvidenceItem(
                    kind=citation.kind,
                    title=str(SectionKind.COMMUNITY.label),
                    figures=[],
                    url=f"{page}#section-{SectionKind.COMMUNITY}",
                    public=False,
                    changed=since is not None and citation.section.updated_at > since,
                )
            )
    return items


def public_evidence_stamp() -> str:
    """What the public evidence of a plan (crime figures) can change with: an import of crime
    figures (a newer release, or a corrected one imported again) flags a citation as changed
    since approval. The moment of the latest import, for the key of a cached public page."""
    latest = CrimeRelease.objects.order_by("-imported_at").values_list("imported_at", flat=True)
    moment = latest.first()
    return moment.isoformat() if moment else "-"


def newest_release_for(csp_code: str):
    row = (
        CrimeArea.objects.filter(csp_code=csp_code or "-", kind=AreaKind.CSP)
        .select_related("release")
        .order_by("-release__period_end")
        .only("release")
        .first()
    )
    return row.release if row else None
