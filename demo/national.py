"""National-scale data: every community safety partnership of England and Wales with several
years of history, for measuring the pages at the size they will really run at (issue 17).

What goes through the project's own code, and what is bulk-inserted, and why:

- the partnerships, police force areas and districts come from the real ONS lookup through
  ``partnerships.ons_lookup.import_lookup`` (the import an administrator runs), and police
  recorded crime from the real Table C2 through ``recorded_crime.services.crime_release_import``:
  both are quick (seconds) and are exactly what production holds;
- everything below them (organisations, people, assessments, contribution requests, plans with
  their actions, measures and quarterly history, sign-offs, reviews, guardian grants) is written
  with ``bulk_create``: through the services it is about three million audited, locked, one-row
  transactions (hours); in bulk it is minutes. The rows are the ones the services would leave
  (statuses, dates, grants to the organisation's group, a guardian grant only on versions still
  in force) but without their audit trail, which no page measured here reads;
- what is made once per partnership or review on top of that goes through the services, as people
  would do it (a few thousand transactions, about a minute): the progress reports of this year's
  finished quarters, the PCC offices' report requests with their answers, and access to the
  reviews (each creator's grant as ``review_notify`` leaves it, then ``access_grant``).

Reproducible: every choice comes from ``random.Random(seed)`` and from the order of the lookup, so
the same seed into an empty database gives the same rows. Every person's password is
``NATIONAL_PASSWORD``; coordinators have an authenticator whose key is ``totp_key(email)``.
"""

import csv
import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from assessments.models import (
    AssessmentSection,
    AssessmentStatus,
    ContributionGroupObjectPermission,
    ContributionRequest,
    ContributionStatus,
    PriorityTheme,
    RecommendedPriority,
    SectionKind,
    StrategicAssessment,
)
from authorities.models import Organisation, OrganisationKind
from oversight.models import ReportRequest
from oversight.services.report_requests import (
    report_request_answer,
    report_request_close,
    report_request_create,
)
from partnerships.models import Membership, PartnerOrganisation, Partnership, Role, Seat
from partnerships.ons_lookup import import_lookup
from plans.models import (
    ActionStatus,
    Measure,
    MeasureActual,
    PartnershipPlan,
    PlanAction,
    PlanActionGroupObjectPermission,
    PlanPriority,
    PlanSection,
    PlanSectionKind,
    PlanStatus,
    PoliceAndCrimePlanPriority,
    ProgressReport,
    ProgressUpdate,
    Quarter,
    SignOff,
)
from plans.services.reports import progress_report_issue
from recorded_crime.reader import read_crime_file
from recorded_crime.selectors import release_exists
from recorded_crime.services import crime_release_import
from reviews.models import (
    AccessGrant,
    CriteriaRelationship,
    Decision,
    DomesticHomicideReview,
    ReviewStatus,
)
from reviews.policies import ReviewPolicy
from reviews.selectors import review_type_for_notification
from reviews.services.lifecycle import access_grant

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
LOOKUP = DATA / "ons" / "lookup_ltla24_csp24_pfa24.csv"
CRIME = DATA / "ons" / "ons_prc_tableC2_csp_ye_jun2025.csv"
REVIEWS = DATA / "dhr" / "dhrd_incidents.csv"
NATIONAL_PASSWORD = "National-password-2026"  # noqa: S105  (benchmark data only)
EMAIL_DOMAIN = "national.example"
PLAN_HISTORY_YEARS = 3  # superseded annual versions before the one in force
LOCAL_SEATS = {
    Seat.LOCAL_AUTHORITY: OrganisationKind.LOCAL_AUTHORITY,
    Seat.FIRE_AND_RESCUE: OrganisationKind.FIRE_AND_RESCUE,
    Seat.PROBATION: OrganisationKind.PROBATION,
    Seat.HEALTH: OrganisationKind.HEALTH,
}
REVIEW_STATUSES = [
    ReviewStatus.NOTIFIED,
    ReviewStatus.UNDER_CONSIDERATION,
    ReviewStatus.COMMISSIONED,
    ReviewStatus.SCOPING,
    ReviewStatus.EVIDENCE_GATHERING,
    ReviewStatus.DRAFTING,
    ReviewStatus.SUBMITTED,
    ReviewStatus.PUBLISHED,
    ReviewStatus.MONITORING,
    ReviewStatus.CLOSED,
]
PCC_PRIORITY_TITLES = [
    "Keeping people safe",
    "Reducing harm and reoffending",
    "Tackling violence against women and girls",
]


def totp_key(email: str) -> str:
    """The seeded coordinator's authenticator key (hex), derived from the address, so the page
    benchmark can work out the security code without reading the database."""
    return hashlib.sha1(f"national:{email}".encode()).hexdigest()  # noqa: S324 - not a secret


def login_email(kind: str, slug: str) -> str:
    return f"{kind}.{slug}@{EMAIL_DOMAIN}"


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)


def seed_national(
    *, seed: int = 17, partnerships: int | None = None, today: date | None = None
) -> SeedResult:
    """Seed the national data set into an empty database (``partnerships`` limits the number of
    CSPs, taking whole police force areas in the lookup's order, for a smaller run)."""
    if Partnership.objects.exists():
        raise ValueError("seed_national needs an empty database (it found partnerships)")
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    today = today or timezone.localdate()
    text = LOOKUP.read_text(encoding="utf-8-sig")
    if partnerships is not None:
        text = _lookup_for(text, partnerships)
    import_lookup(text)
    data = CRIME.read_bytes()
    if not release_exists(period_end=read_crime_file(data, file_name=CRIME.name).period_end):
        crime_release_import(acting_user=None, data=data, file_name=CRIME.name)
    return _Seeder(rng, today).run()


def _lookup_for(text: str, wanted: int) -> str:
    """The lookup's lines for the first ``wanted`` partnerships, whole force areas at a time (so a
    small run still has a PCC office over several partnerships)."""
    header, *lines = text.splitlines()
    rows = list(csv.reader(lines))
    columns = next(csv.reader([header]))
    csp, pfa = columns.index("csp24_code"), columns.index("pfa24_code")
    areas: dict[str, set[str]] = {}
    for row in rows:
        areas.setdefault(row[pfa], set()).add(row[csp])
    keep: set[str] = set()
    taken = 0
    for area in sorted(areas, key=lambda code: (len(areas[code]), code)):
        if taken >= wanted:
            break
        keep.add(area)
        taken += len(areas[area])
    return "\n".join(
        [header] + [line for line, row in zip(lines, rows, strict=True) if row[pfa] in keep]
    )


class _Seeder:
    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.year = Quarter.containing(today).year_start
        self.password = make_password(NATIONAL_PASSWORD)
        self.partnerships = list(
            Partnership.objects.select_related("police_force_area").order_by("ons_code")
        )
        self.counts: dict[str, int] = {}

    def run(self) -> SeedResult:
        self._organisations()
        self._people()
        self._assessments()
        self._plans()
        self._reviews()
        # Through the services, each an audited transaction, as people would leave them.
        members = {
            (m.partnership_id, m.user_id): m
            for m in Membership.objects.select_related("partnership", "organisation", "user")
        }
        self._progress_reports()
        self._report_requests(members)
        self._review_grants(members)
        for model in (
            Partnership,
            User,
            Membership,
            ContributionRequest,
            PartnershipPlan,
            PlanAction,
            ProgressUpdate,
            ProgressReport,
            ReportRequest,
            DomesticHomicideReview,
            AccessGrant,
        ):
            self.counts[model._meta.verbose_name_plural] = model.objects.count()
        return SeedResult(counts=self.counts)

    # Organisations ------------------------------------------------------------------------------

    def _organisations(self) -> None:
        """A police force and a PCC per force area (shared by its partnerships, as in life), and
        each partnership's own four statutory bodies and up to two invited partners."""
        groups: list[Group] = []
        organisations: list[Organisation] = []

        def organisation(name: str, kind: str, nation: str) -> Organisation:
            group = Group(name=f"national:{len(groups)}")
            groups.append(group)
            made = Organisation(name=name, kind=kind, nation=nation)
            made._group = group
            organisations.append(made)
            return made

        self.police: dict[int, Organisation] = {}
        self.pcc: dict[int, Organisation] = {}
        self.seats: dict[int, list[tuple[str, Organisation]]] = {}
        for partnership in self.partnerships:
            area = partnership.police_force_area
            if area.pk not in self.police:
                self.police[area.pk] = organisation(
                    f"{area.name} Police", OrganisationKind.POLICE_FORCE, partnership.nation
                )
                self.pcc[area.pk] = organisation(
                    f"{area.name} Police and Crime Commissioner",
                    OrganisationKind.PCC,
                    partnership.nation,
                )
            held = [(Seat.POLICE, self.police[area.pk])]
            for seat, kind in LOCAL_SEATS.items():
                held.append(
                    (seat, organisation(f"{partnership.name} {seat}", kind, partnership.nation))
                )
            for number in range(self.rng.randint(0, 2)):
                held.append(
                    (
                        Seat.INVITED,
                        organisation(
                            f"{partnership.name} partner {number + 1}",
                            OrganisationKind.INVITED_PARTNER,
                            partnership.nation,
                        ),
                    )
                )
            self.seats[partnership.pk] = held
        Group.objects.bulk_create(groups)
        for made in organisations:
            made.group = made._group
        Organisation.objects.bulk_create(organisations)
        PartnerOrganisation.objects.bulk_create(
            PartnerOrganisation(partnership_id=pk, organisation=held_by, seat=seat)
            for pk, held in self.seats.items()
            for seat, held_by in held
        )

    # People -------------------------------------------------------------------------------------

    def _people(self) -> None:
        """Per partnership a coordinator (with an authenticator), a strategy group member per
        statutory seat, a contributor per organisation and a scrutiny member; per force area one
        police analyst answering for the force in every partnership of the area, and a PCC office
        over all of them."""
        users: list[User] = []
        memberships: list[Membership] = []
        self.coordinators: dict[int, User] = {}
        self.strategy: dict[int, dict[str, User]] = {}

        def person(email: str, name: str) -> User:
            user = User(email=email, full_name=name, password=self.password)
            users.append(user)
            return user

        def member(user, partnership, role, organisation):
            memberships.append(
                Membership(partnership=partnership, user=user, role=role, organisation=organisation)
            )

        analysts: dict[int, User] = {}
        offices: dict[int, User] = {}
        for partnership in self.partnerships:
            area = partnership.police_force_area
            held = self.seats[partnership.pk]
            by_seat = dict(held)
            slug = partnership.slug
            coordinator = person(
                login_email("coordinator", slug), f"{partnership.name} coordinator"
            )
            member(coordinator, partnership, Role.COORDINATOR, by_seat[Seat.LOCAL_AUTHORITY])
            self.coordinators[partnership.pk] = coordinator
            self.strategy[partnership.pk] = {}
            for seat, organisation in held:
                if seat == Seat.POLICE:
                    continue
                if seat != Seat.INVITED:
                    lead = person(
                        login_email(f"strategy-{seat}", slug), f"{partnership.name} {seat} lead"
                    )
                    member(lead, partnership, Role.STRATEGY_MEMBER, organisation)
                    self.strategy[partnership.pk][seat] = lead
                contributor = person(
                    login_email(f"contributor-{organisation.pk}", slug),
                    f"{organisation.name} officer",
                )
                member(contributor, partnership, Role.CONTRIBUTOR, organisation)
            scrutiny = person(login_email("scrutiny", slug), f"{partnership.name} scrutiny member")
            member(scrutiny, partnership, Role.SCRUTINY, by_seat[Seat.LOCAL_AUTHORITY])
            if area.pk not in analysts:
                area_slug = area.code.lower()
                analysts[area.pk] = person(
                    login_email("analyst", area_slug), f"{area.name} police analyst"
                )
                offices[area.pk] = person(login_email("pcc", area_slug), f"{area.name} PCC office")
            police_lead = person(
                login_email("strategy-police", slug), f"{partnership.name} police lead"
            )
            member(police_lead, partnership, Role.STRATEGY_MEMBER, self.police[area.pk])
            self.strategy[partnership.pk][Seat.POLICE] = police_lead
            member(analysts[area.pk], partnership, Role.CONTRIBUTOR, self.police[area.pk])
            member(offices[area.pk], partnership, Role.PCC_OFFICE, self.pcc[area.pk])
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(memberships)
        pairs = {(m.user.pk, m.organisation.group_id) for m in memberships}
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user_id, group_id=group_id) for user_id, group_id in pairs
        )
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=user, name="Authenticator app", confirmed=True, key=totp_key(user.email)
            )
            for user in self.coordinators.values()
        )

    # Assessments and contribution requests -----------------------------------------------------

    def _assessments(self) -> None:
        """An approved assessment for each past year and one open for contributions this year;
        each asks every organisation for one or two contributions, answered and accepted in past
        years, in every state this year."""
        permission = Permission.objects.get(
            content_type__app_label="assessments", codename="answer_contributionrequest"
        )
        assessments = []
        years = range(self.year - PLAN_HISTORY_YEARS, self.year + 1)
        for partnership in self.partnerships:
            for year in years:
                current = year == self.year
                approved = self.now - timedelta(days=365 * (self.year - year) + 200)
                assessments.append(
                    StrategicAssessment(
                        partnership=partnership,
                        year_start=year,
                        status=AssessmentStatus.CONTRIBUTIONS_OPEN
                        if current
                        else AssessmentStatus.APPROVED,
                        approved_at=None if current else approved,
                        approved_by_name="" if current else "National strategy lead",
                        status_changed_at=self.now if current else approved,
                    )
                )
        StrategicAssessment.objects.bulk_create(assessments)
        self.approved_assessments = {
            (a.partnership_id, a.year_start): a
            for a in assessments
            if a.status == AssessmentStatus.APPROVED
        }
        AssessmentSection.objects.bulk_create(
            AssessmentSection(assessment=assessment, kind=kind, body=_paragraph(self.rng))
            for assessment in assessments
            for kind in SectionKind.values
        )
        themes = PriorityTheme.values
        RecommendedPriority.objects.bulk_create(
            RecommendedPriority(
                assessment=assessment,
                theme=theme,
                rationale=_paragraph(self.rng),
                evidence=_paragraph(self.rng),
                position=position,
            )
            for assessment in assessments
            for position, theme in enumerate(self.rng.sample(themes, 3))
        )
        states = [
            ContributionStatus.REQUESTED,
            ContributionStatus.REQUESTED,
            ContributionStatus.IN_PROGRESS,
            ContributionStatus.SUBMITTED,
            ContributionStatus.RETURNED,
            ContributionStatus.ACCEPTED,
        ]
        requests = []
        for assessment in assessments:
            current = assessment.status == AssessmentStatus.CONTRIBUTIONS_OPEN
            opened = date(assessment.year_start, 10, 1)
            for _seat, organisation in self.seats[assessment.partnership_id]:
                for number in range(self.rng.choice((1, 1, 2, 2, 2))):
                    status = self.rng.choice(states) if current else ContributionStatus.ACCEPTED
                    due = (
                        self.today + timedelta(days=self.rng.randint(-20, 40))
                        if current
                        else opened + timedelta(days=30 + 14 * number)
                    )
                    answered = status in (
                        ContributionStatus.SUBMITTED,
                        ContributionStatus.ACCEPTED,
                        ContributionStatus.RETURNED,
                    )
                    requests.append(
                        ContributionRequest(
                            assessment=assessment,
                            partnership_id=assessment.partnership_id,
                            organisation=organisation,
                            title=f"{organisation.name[:120]}: figures {number + 1}",
                            questions="What changed in the year, and why?",
                            due_date=due,
                            status=status,
                            answer=_paragraph(self.rng) if answered else "",
                            submitted_at=self.now if answered else None,
                            decided_at=self.now if status == ContributionStatus.ACCEPTED else None,
                        )
                    )
        ContributionRequest.objects.bulk_create(requests, batch_size=2000)
        ContributionGroupObjectPermission.objects.bulk_create(
            (
                ContributionGroupObjectPermission(
                    group_id=request.organisation.group_id,
                    permission=permission,
                    content_object=request,
                )
                for request in requests
            ),
            batch_size=5000,
        )

    # Plans --------------------------------------------------------------------------------------

    def _plans(self) -> None:
        """An annual version of the plan for each past year, each superseded by the next, and the
        one in force; 30 to 50 actions each, a measure per action, and the quarterly history of
        every quarter a version was in force (the last quarter's updates from most actions)."""
        permission = Permission.objects.get(
            content_type__app_label="plans", codename="report_progress_planaction"
        )
        pcc_priorities = []
        for area_pk in {p.police_force_area_id for p in self.partnerships}:
            for position, title in enumerate(PCC_PRIORITY_TITLES):
                pcc_priorities.append(
                    PoliceAndCrimePlanPriority(
                        police_force_area_id=area_pk, title=title, position=position
                    )
                )
        PoliceAndCrimePlanPriority.objects.bulk_create(pcc_priorities)
        pcc_by_area: dict[int, list[PoliceAndCrimePlanPriority]] = {}
        for priority in pcc_priorities:
            pcc_by_area.setdefault(priority.police_force_area_id, []).append(priority)

        plans: list[PartnershipPlan] = []
        for partnership in self.partnerships:
            previous = None
            for year in range(self.year - PLAN_HISTORY_YEARS, self.year + 1):
                in_force = year == self.year
                approved = self.now - timedelta(days=365 * (self.year - year) + 150)
                plan = PartnershipPlan(
                    partnership=partnership,
                    period_start=year,
                    status=PlanStatus.PUBLISHED if in_force else PlanStatus.SUPERSEDED,
                    assessment=self.approved_assessments.get((partnership.pk, year - 1)),
                    previous_version=previous,
                    created_by=self.coordinators[partnership.pk],
                    status_changed_at=approved,
                    approved_at=approved,
                    published_at=approved + timedelta(days=7),
                    superseded_at=None if in_force else approved + timedelta(days=365),
                )
                # bulk_create cannot point at a row it has not inserted yet: one version at a
                # time per year, all partnerships together.
                plans.append(plan)
                previous = plan
        for year in range(self.year - PLAN_HISTORY_YEARS, self.year + 1):
            batch = [plan for plan in plans if plan.period_start == year]
            for plan in batch:
                plan.previous_version_id = (
                    plan.previous_version.pk if plan.previous_version else None
                )
            PartnershipPlan.objects.bulk_create(batch)
        PlanSection.objects.bulk_create(
            (
                PlanSection(plan=plan, kind=kind, body=_paragraph(self.rng))
                for plan in plans
                for kind in PlanSectionKind.values
            ),
            batch_size=5000,
        )
        SignOff.objects.bulk_create(
            (
                SignOff(
                    plan=plan,
                    seat=seat,
                    user=user,
                    name=user.full_name,
                    organisation_name=dict(self.seats[plan.partnership_id])[seat].name,
                )
                for plan in plans
                for seat, user in self.strategy[plan.partnership_id].items()
            ),
            batch_size=5000,
        )
        priorities: list[PlanPriority] = []
        for plan in plans:
            for position, theme in enumerate(self.rng.sample(PriorityTheme.values, 4)):
                priorities.append(
                    PlanPriority(
                        plan=plan,
                        theme=theme,
                        rationale=_paragraph(self.rng),
                        objectives="- Fewer victims\n- Quicker help",
                        position=position,
                    )
                )
        PlanPriority.objects.bulk_create(priorities, batch_size=5000)
        area_of = {p.pk: p.police_force_area_id for p in self.partnerships}
        through = PlanPriority.pcc_priorities.through
        through.objects.bulk_create(
            (
                through(
                    planpriority_id=priority.pk,
                    policeandcrimeplanpriority_id=self.rng.choice(
                        pcc_by_area[area_of[priority.plan.partnership_id]]
                    ).pk,
                )
                for priority in priorities
                if priority.position < 3
            ),
            batch_size=5000,
        )
        by_plan: dict[int, list[PlanPriority]] = {}
        for priority in priorities:
            by_plan.setdefault(priority.plan_id, []).append(priority)

        actions: list[PlanAction] = []
        statuses = [
            ActionStatus.ON_TRACK,
            ActionStatus.ON_TRACK,
            ActionStatus.AT_RISK,
            ActionStatus.OFF_TRACK,
            ActionStatus.COMPLETE,
            ActionStatus.NOT_STARTED,
        ]
        for plan in plans:
            held = self.seats[plan.partnership_id]
            plan_priorities = by_plan[plan.pk]
            for number in range(self.rng.randint(30, 50)):
                lead = held[self.rng.randrange(len(held))][1]
                actions.append(
                    PlanAction(
                        plan=plan,
                        partnership_id=plan.partnership_id,
                        priority=plan_priorities[number % len(plan_priorities)],
                        description=f"Action {number + 1}: {_sentence(self.rng)}",
                        lead_organisation=lead,
                        start_date=plan.starts_on,
                        due_date=plan.starts_on
                        + timedelta(days=self.rng.choice((365, 540, 730, 1095)) - 1),
                        resources="Officer time and a share of the partnership fund",
                        status=self.rng.choice(statuses),
                        position=number,
                    )
                )
        PlanAction.objects.bulk_create(actions, batch_size=5000)
        # The grant to report ends when a version is superseded: only versions in force keep it.
        PlanActionGroupObjectPermission.objects.bulk_create(
            (
                PlanActionGroupObjectPermission(
                    group_id=action.lead_organisation.group_id,
                    permission=permission,
                    content_object=action,
                )
                for action in actions
                if action.plan.status == PlanStatus.PUBLISHED
            ),
            batch_size=5000,
        )
        measures = [
            Measure(
                action=action,
                name=f"Incidents in hotspot {action.position + 1}",
                unit="incidents",
                baseline=Decimal(self.rng.randint(200, 600)),
                target=Decimal(self.rng.randint(100, 199)),
                higher_is_better=False,
            )
            for action in actions
        ]
        Measure.objects.bulk_create(measures, batch_size=5000)

        updates: list[ProgressUpdate] = []
        actuals: list[MeasureActual] = []
        for action, measure in zip(actions, measures, strict=True):
            plan = action.plan
            # A superseded version was in force for its first year; the one in force reports on
            # every quarter finished so far.
            quarters = [
                quarter
                for quarter in plan.quarters
                if quarter.year_start == plan.period_start and quarter.ends_on < self.today
            ]
            for quarter in quarters:
                last = quarter == quarters[-1] and plan.status == PlanStatus.PUBLISHED
                if last and self.rng.random() < 0.25:
                    continue  # not reported yet: overdue
                updates.append(
                    ProgressUpdate(
                        action=action,
                        year_start=quarter.year_start,
                        quarter=quarter.number,
                        narrative=_sentence(self.rng),
                        status=self.rng.choice(statuses),
                    )
                )
                actuals.append(
                    MeasureActual(
                        measure=measure,
                        year_start=quarter.year_start,
                        quarter=quarter.number,
                        value=Decimal(self.rng.randint(100, 600)),
                    )
                )
        ProgressUpdate.objects.bulk_create(updates, batch_size=5000)
        MeasureActual.objects.bulk_create(actuals, batch_size=5000)

    # Reviews ------------------------------------------------------------------------------------

    def _reviews(self) -> None:
        """One domestic homicide review per incident of the DHR dataset, in the partnership it
        names (by name; any partnership when the name is not a 2024 CSP)."""
        if not REVIEWS.exists():
            return
        by_name = {p.name.lower(): p for p in self.partnerships}
        # Each is the type a notification on that day gets (a domestic homicide review until
        # the Victims and Prisoners Act 2024 s19 commences), as review_notify gives it.
        types = {}
        reviews = []
        with REVIEWS.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                partnership = by_name.get(row["csp"].strip().lower()) or self.rng.choice(
                    self.partnerships
                )
                died = _month(row["death_date"]) or date(self.year - 2, 1, 1)
                notified = died + timedelta(days=self.rng.randint(3, 40))
                status = self.rng.choice(REVIEW_STATUSES)
                decided = status not in (ReviewStatus.NOTIFIED, ReviewStatus.UNDER_CONSIDERATION)
                reviews.append(
                    DomesticHomicideReview(
                        partnership=partnership,
                        reference=f"DHR-{row['incident_id']}",
                        review_type=types.get(notified)
                        or types.setdefault(
                            notified, review_type_for_notification(notified_on=notified)
                        ),
                        victim_pseudonym=f"Adult {row['incident_id'][-4:]}",
                        death_month=died,
                        notified_on=notified,
                        notified_by=self.police[partnership.police_force_area_id],
                        aged_16_or_over=True,
                        relationship=CriteriaRelationship.INTIMATE_PARTNER
                        if row["intimate_partner_violence"] == "True"
                        else CriteriaRelationship.RELATIVE,
                        circumstances=f"Cause of death: {row['cause_of_death']}.",
                        status=status,
                        decision=Decision.REVIEW if decided else "",
                        decided_on=notified + timedelta(days=30) if decided else None,
                        created_by=self.coordinators[partnership.pk],
                    )
                )
        DomesticHomicideReview.objects.bulk_create(reviews)

    # Through the services ---------------------------------------------------------------------

    def _progress_reports(self) -> None:
        """The coordinator's progress report for each finished quarter of this year's plan,
        issued ten days after the quarter ended, as it stood then (``progress_report_issue``)."""
        for plan in PartnershipPlan.objects.filter(status=PlanStatus.PUBLISHED).order_by(
            "partnership__ons_code"
        ):
            for quarter in plan.quarters:
                issued_on = quarter.ends_on + timedelta(days=10)
                if quarter.year_start != self.year or issued_on > self.today:
                    continue
                progress_report_issue(
                    acting_user=self.coordinators[plan.partnership_id],
                    plan=plan,
                    quarter=quarter,
                    today=issued_on,
                )

    def _report_requests(self, members: dict[tuple[int, int], Membership]) -> None:
        """Up to three formal requests for a report from the PCC office to each partnership, due
        in the coming weeks: some waiting, some answered by the coordinator, some of those closed
        by the office (``report_request_create``, ``_answer``, ``_close``)."""
        offices = {m.partnership_id: m for m in members.values() if m.role == Role.PCC_OFFICE}
        for partnership in self.partnerships:
            office = offices[partnership.pk]
            coordinator = members[(partnership.pk, self.coordinators[partnership.pk].pk)]
            for number in range(self.rng.randint(0, 3)):
                request = report_request_create(
                    acting_user=office.user,
                    membership=office,
                    title=f"Report on {str(self.rng.choice(PriorityTheme.labels)).lower()}",
                    body=_paragraph(self.rng),
                    due_date=self.today + timedelta(days=self.rng.randint(7, 90)),
                )
                stage = self.rng.random()
                if stage < 0.4:
                    continue
                report_request_answer(
                    acting_user=coordinator.user,
                    membership=coordinator,
                    report_request=request,
                    body=_paragraph(self.rng),
                )
                if stage < 0.7:
                    continue
                report_request_close(
                    acting_user=office.user,
                    membership=office,
                    report_request=request,
                    note=f"Thank you ({number + 1}).",
                )

    def _review_grants(self, members: dict[tuple[int, int], Membership]) -> None:
        """Each review's access as its services leave it: the coordinator who recorded the
        notification holds it (as ``review_notify`` grants it), and gives the police lead a place
        on the panel and the force's analyst one as agency author for some of them
        (``access_grant``). Everyone holding a grant signs in with an authenticator."""
        reviews = list(DomesticHomicideReview.objects.select_related("partnership").order_by("pk"))
        AccessGrant.objects.bulk_create(
            AccessGrant(
                review=review,
                user_id=review.created_by_id,
                reason=AccessGrant.Reason.CREATOR,
                granted_by_id=review.created_by_id,
            )
            for review in reviews
        )
        for review in reviews:
            ReviewPolicy.grant(review, self.coordinators[review.partnership_id])
        analysts = {
            m.partnership_id: m.user
            for m in members.values()
            if m.role == Role.CONTRIBUTOR and m.user.email.startswith("analyst.")
        }
        holders = set()
        for review in reviews:
            partnership_id = review.partnership_id
            given = []
            if self.rng.random() < 0.6:
                given.append((self.strategy[partnership_id][Seat.POLICE], AccessGrant.Reason.PANEL))
            if self.rng.random() < 0.4:
                given.append((analysts[partnership_id], AccessGrant.Reason.AUTHOR))
            for user, reason in given:
                access_grant(
                    acting_user=self.coordinators[partnership_id],
                    review=review,
                    user=user,
                    reason=reason,
                )
                holders.add(user)
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=user, name="Authenticator app", confirmed=True, key=totp_key(user.email)
            )
            for user in sorted(holders, key=lambda user: user.pk)
        )


def _month(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%B %Y").date()
    except ValueError:
        return None


WORDS = [
    "partners",
    "agreed",
    "to",
    "extend",
    "the",
    "outreach",
    "work",
    "in",
    "the",
    "town",
    "centre",
    "and",
    "to",
    "share",
    "the",
    "monthly",
    "figures",
    "with",
    "the",
    "strategy",
    "group",
    "so",
    "that",
    "the",
    "hotspot",
    "patrols",
    "follow",
    "the",
    "evidence",
    "while",
    "the",
    "youth",
    "service",
    "and",
    "housing",
    "teams",
    "take",
    "referrals",
    "from",
    "the",
    "night-time",
    "economy",
    "and",
    "schools",
]


def _sentence(rng: random.Random) -> str:
    start = rng.randrange(len(WORDS) - 12)
    return " ".join(WORDS[start : start + rng.randint(8, 12)]).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(4))
