"""Each plan priority's evidence: the links its recommended priority cited in the assessment,
flagged where the evidence has changed since the plan was approved. Reads only; three queries
for a whole plan whatever its size."""

from assessments.evidence import EvidenceItem, citations_for, evidence_items, newest_release_for

from .models import PartnershipPlan, PlanPriority


def plan_evidence(
    plan: PartnershipPlan, priorities: list[PlanPriority], *, public: bool = False
) -> dict[int, list[EvidenceItem]]:
    """Plan priority id -> its evidence items (``public``: only what is public, the crime
    figures)."""
    recommended = {p.pk: p.recommended_id for p in priorities if p.recommended_id}
    if not recommended:
        return {}
    citations = citations_for(recommended.values())
    if not citations:
        return {}
    newest = newest_release_for(plan.partnership.ons_code) if plan.approved_at else None
    found = {}
    for priority_id, recommended_id in recommended.items():
        items = evidence_items(
            citations.get(recommended_id, []), since=plan.approved_at, newest_release=newest
        )
        found[priority_id] = [item for item in items if item.public or not public]
    return found


def evidence_release_key(plan: PartnershipPlan) -> str:
    """What ``plan_evidence`` reads beyond the partnership's own records: the newest crime
    release for the partnership's area (national data, loaded without any partnership's audit
    event), against which an approved plan's evidence is flagged as changed. A page that keeps
    the evidence keys it by this (one query)."""
    if plan.approved_at is None:
        return "-"
    release = newest_release_for(plan.partnership.ons_code)
    return str(release.pk) if release else "-"
