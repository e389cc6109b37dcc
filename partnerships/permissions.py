"""What each role may do inside its own partnership. Named once; views and templates ask here.

Object permissions (a contribution, an action, a review) come from django-guardian, wrapped in
the owning app's policy; this module covers what a role alone allows.
"""

from collections.abc import Iterable
from enum import StrEnum

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from authorities.selectors import PolicingBodies, local_policing_body_on

from .models import Membership, Role


class Perm(StrEnum):
    VIEW_PARTNERSHIP = "view_partnership"
    VIEW_PEOPLE = "view_people"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_SEATS = "manage_seats"
    # The public name, logo and accent colour of the partnership's documents and public pages.
    MANAGE_IDENTITY = "manage_identity"
    VIEW_AUDIT = "view_audit"
    VIEW_ASSESSMENTS = "view_assessments"
    VIEW_ASSESSMENT_DRAFTS = "view_assessment_drafts"
    MANAGE_ASSESSMENTS = "manage_assessments"
    APPROVE_ASSESSMENTS = "approve_assessments"
    VIEW_CONTRIBUTIONS = "view_contributions"
    REVIEW_CONTRIBUTIONS = "review_contributions"
    # A role that may answer its organisation's requests; which ones is an object permission.
    ANSWER_CONTRIBUTIONS = "answer_contributions"
    VIEW_PLANS = "view_plans"
    VIEW_PLAN_DRAFTS = "view_plan_drafts"
    VIEW_PLAN_CONSULTATION = "view_plan_consultation"
    MANAGE_PLANS = "manage_plans"
    SIGN_OFF_PLANS = "sign_off_plans"
    VIEW_PLAN_PROGRESS = "view_plan_progress"
    # A role that may report on actions its organisation leads; which ones is an object permission.
    REPORT_PLAN_PROGRESS = "report_plan_progress"
    # Recording a DHR notification; everything else about a review needs a grant on that review.
    RECORD_REVIEWS = "record_reviews"
    # PCC oversight (the oversight app): the force-area page, the police and crime plan
    # priorities, report requests to the partnership and combination approvals.
    VIEW_FORCE_AREA = "view_force_area"
    MANAGE_PCC_PRIORITIES = "manage_pcc_priorities"
    VIEW_REPORT_REQUESTS = "view_report_requests"
    REQUEST_REPORTS = "request_reports"
    ANSWER_REPORT_REQUESTS = "answer_report_requests"
    APPROVE_COMBINATIONS = "approve_combinations"
    # Issued progress reports (frozen quarterly snapshots), never the editable dashboard.
    VIEW_PROGRESS_REPORTS = "view_progress_reports"
    # Asking for a plan PDF to be made writes a row and queues a render: not for read-only roles.
    MAKE_PLAN_DOCUMENTS = "make_plan_documents"
    # The cycle view: where the partnership is in its year, what is late and who owes it.
    VIEW_CYCLE = "view_cycle"
    # ASB case reviews (casereviews): the counts, for everyone; the published procedure, and
    # giving access to cases, for coordinators. A case's own content needs a grant on it.
    VIEW_CASE_REVIEWS = "view_case_reviews"
    MANAGE_CASE_REVIEWS = "manage_case_reviews"
    # The crime and disorder committee's work with the partnership (the scrutiny app): reading it,
    # the committee's own steps (information requests, reports, calls for action, meetings), and
    # the partnership's answers.
    VIEW_SCRUTINY = "view_scrutiny"
    SCRUTINISE = "scrutinise"
    ANSWER_SCRUTINY = "answer_scrutiny"
    # Community engagement (the engagement app): the public meetings and consultations, read by
    # every member (their notices and summaries are public anyway); planned and recorded by the
    # coordinators.
    VIEW_ENGAGEMENT = "view_engagement"
    MANAGE_ENGAGEMENT = "manage_engagement"
    # The register of information sharing agreements (the infosharing app): read by the partners
    # who share, kept by the coordinators.
    VIEW_INFORMATION_SHARING = "view_information_sharing"
    MANAGE_INFORMATION_SHARING = "manage_information_sharing"
    # A responsible authority's quarterly return of depersonalised information: sent by its own
    # people (the membership's organisation must be the return's), opened by the coordinators.
    SUBMIT_RETURNS = "submit_returns"
    # The strategy group's meetings (the strategygroup app): read by the partnership's members,
    # minutes once published; kept by the coordinators.
    VIEW_STRATEGY_MEETINGS = "view_strategy_meetings"
    MANAGE_STRATEGY_MEETINGS = "manage_strategy_meetings"
    # The local policing body's community safety grants to the partnership (plans.grants): read
    # by every member; offered, changed and ended by the body's office; accepted, and their spend
    # reported each quarter, by the coordinators.
    VIEW_GRANTS = "view_grants"
    OFFER_GRANTS = "offer_grants"
    TAKE_UP_GRANTS = "take_up_grants"


# Everyone sees approved assessments; drafts only those who write or approve them.
_EVERYONE = {
    Perm.VIEW_PARTNERSHIP,
    Perm.VIEW_ASSESSMENTS,
    Perm.VIEW_PLANS,
    Perm.VIEW_CASE_REVIEWS,
    Perm.VIEW_ENGAGEMENT,
    Perm.VIEW_GRANTS,
}
# Those who hold the partnership to account read its issued progress reports.
_OVERSIGHT = {Perm.VIEW_PROGRESS_REPORTS}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Perm.VIEW_PEOPLE,
            Perm.MANAGE_PEOPLE,
            Perm.MANAGE_SEATS,
            Perm.MANAGE_IDENTITY,
            Perm.VIEW_AUDIT,
            Perm.VIEW_ASSESSMENT_DRAFTS,
            Perm.MANAGE_ASSESSMENTS,
            Perm.VIEW_CONTRIBUTIONS,
            Perm.REVIEW_CONTRIBUTIONS,
            Perm.ANSWER_CONTRIBUTIONS,
            Perm.VIEW_PLAN_DRAFTS,
            Perm.VIEW_PLAN_CONSULTATION,
            Perm.MANAGE_PLANS,
            Perm.VIEW_PLAN_PROGRESS,
            Perm.REPORT_PLAN_PROGRESS,
            Perm.RECORD_REVIEWS,
            Perm.VIEW_REPORT_REQUESTS,
            Perm.ANSWER_REPORT_REQUESTS,
            Perm.VIEW_PROGRESS_REPORTS,
            Perm.MAKE_PLAN_DOCUMENTS,
            Perm.VIEW_CYCLE,
            Perm.MANAGE_CASE_REVIEWS,
            Perm.VIEW_SCRUTINY,
            Perm.ANSWER_SCRUTINY,
            Perm.MANAGE_ENGAGEMENT,
            Perm.VIEW_INFORMATION_SHARING,
            Perm.MANAGE_INFORMATION_SHARING,
            Perm.VIEW_STRATEGY_MEETINGS,
            Perm.MANAGE_STRATEGY_MEETINGS,
            Perm.TAKE_UP_GRANTS,
        }
    ),
    Role.STRATEGY_MEMBER: frozenset(
        _EVERYONE
        | {
            Perm.VIEW_PEOPLE,
            Perm.VIEW_ASSESSMENT_DRAFTS,
            Perm.APPROVE_ASSESSMENTS,
            Perm.VIEW_CONTRIBUTIONS,
            Perm.ANSWER_CONTRIBUTIONS,
            Perm.VIEW_PLAN_DRAFTS,
            Perm.VIEW_PLAN_CONSULTATION,
            Perm.SIGN_OFF_PLANS,
            Perm.VIEW_PLAN_PROGRESS,
            Perm.REPORT_PLAN_PROGRESS,
            Perm.VIEW_REPORT_REQUESTS,
            Perm.VIEW_PROGRESS_REPORTS,
            Perm.MAKE_PLAN_DOCUMENTS,
            Perm.VIEW_CYCLE,
            Perm.VIEW_SCRUTINY,
            Perm.VIEW_INFORMATION_SHARING,
            Perm.VIEW_STRATEGY_MEETINGS,
            Perm.SUBMIT_RETURNS,
        }
    ),
    Role.CONTRIBUTOR: frozenset(
        _EVERYONE
        | {
            Perm.VIEW_PEOPLE,
            Perm.VIEW_INFORMATION_SHARING,
            Perm.VIEW_STRATEGY_MEETINGS,
            Perm.SUBMIT_RETURNS,
            Perm.ANSWER_CONTRIBUTIONS,
            Perm.VIEW_PLAN_CONSULTATION,
            Perm.REPORT_PLAN_PROGRESS,
            Perm.MAKE_PLAN_DOCUMENTS,
        }
    ),
    # Read-only: what is approved or published, the issued progress reports, report requests;
    # they write only the committee's own steps of the scrutiny app.
    Role.SCRUTINY: frozenset(
        _EVERYONE | _OVERSIGHT | {Perm.VIEW_REPORT_REQUESTS, Perm.VIEW_SCRUTINY, Perm.SCRUTINISE}
    ),
    Role.PCC_OFFICE: frozenset(
        _EVERYONE
        | _OVERSIGHT
        | {
            Perm.VIEW_FORCE_AREA,
            Perm.MANAGE_PCC_PRIORITIES,
            Perm.VIEW_REPORT_REQUESTS,
            Perm.REQUEST_REPORTS,
            Perm.APPROVE_COMBINATIONS,
            Perm.OFFER_GRANTS,
        }
    ),
}

# What each role may do, in words, for the invitation form (partnerships/forms.py).
ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: _(
        "Runs the partnership here: invites people, starts the assessment and the plan, asks "
        "partners for contributions, publishes the plan and reads the audit log. Needs "
        "two-factor authentication."
    ),
    Role.STRATEGY_MEMBER: _(
        "Reads drafts, approves the strategic assessment and signs off the plan for their "
        "organisation's seat."
    ),
    Role.CONTRIBUTOR: _(
        "Answers their organisation's contribution requests and reports progress on the actions "
        "their organisation leads."
    ),
    Role.SCRUTINY: _(
        "Reads the approved assessment, the approved and published plan and issued progress "
        "reports. Changes nothing else, but sends the committee's information requests, reports "
        "and recommendations, and records its calls for action and meetings."
    ),
    Role.PCC_OFFICE: _(
        "Reads the plans of the force area's partnerships, keeps the police and crime plan "
        "priorities and asks the partnership for reports."
    ),
}
# Roles whose holders must use two-factor authentication.
MFA_ROLES = frozenset({Role.COORDINATOR})


def membership_can(membership: Membership | None, perm: Perm) -> bool:
    return membership is not None and perm in ROLE_PERMISSIONS[membership.role]


def role_permissions(membership: Membership) -> dict[str, bool]:
    """What the member's role may do, for templates: ``{% if can.view_plan_progress %}``."""
    return {perm.value: True for perm in ROLE_PERMISSIONS[membership.role]}


def _office_of(membership: Membership) -> str:
    return local_policing_body_on(
        police_force_area_id=membership.partnership.police_force_area_id, day=timezone.localdate()
    ).office


def role_label(membership: Membership) -> str:
    """The member's role as the page names it: a PCC office by the office of the body holding
    the force area's commissioner functions today (a mayor's office, say), read only if shown;
    the role keeps its name in the data."""
    if membership.role != Role.PCC_OFFICE:
        return membership.get_role_display()
    return lazy(_office_of, str)(membership)


def label_roles(memberships: Iterable[Membership]) -> list[Membership]:
    """The memberships, each with ``role_label`` (``role_label``'s words), reading the bodies of
    all their force areas in one query, however many PCC-office memberships there are."""
    memberships = list(memberships)
    offices = {m.pk for m in memberships if m.role == Role.PCC_OFFICE}
    bodies = (
        PolicingBodies(m.partnership.police_force_area_id for m in memberships if m.pk in offices)
        if offices
        else None
    )
    today = timezone.localdate()
    for membership in memberships:
        membership.role_label = (
            bodies.on(membership.partnership.police_force_area_id, today).office
            if membership.pk in offices
            else membership.get_role_display()
        )
    return memberships
