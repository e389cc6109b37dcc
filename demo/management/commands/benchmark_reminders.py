"""Time the reminders sweep and the sending of its emails over every partnership in England and
Wales (314 CSPs, from the ONS lookup).

Each partnership gets its five responsible authorities and one to three invited partners, a
coordinator, a strategy group member and an officer per organisation; a strategic assessment
open for contributions with a request to each organisation (6 to 8) at due dates from ten days
late to a month away (a few already answered); every third partnership an assessment waiting
for the strategy group's sign-off; and a published plan in force with 10 to 20 actions, half of
which have reported on the last completed quarter. A fifth of the people chose the daily digest.

The partnerships are the benchmark's own (named after the lookup's CSPs, in a force area of their
own), so whatever the database already holds (the demo, real partnerships) cannot collide with
them; the sweep and the sending also see what is already due there. The data is written with bulk
inserts (a benchmark needs volume, not the services' audit trail), inside a transaction that is
rolled back at the end, so the command can run against any database. Emails go to Django's
in-memory backend.

With ``--national`` it seeds nothing and sweeps what the database holds (``seed_national``: every
CSP with four years of history), rolled back as well. Either way it checks that each email went
once: no two alike, and nothing sent by a second sweep of the same day.
"""

import time
from collections import Counter
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    AssessmentStatus,
    ContributionRequest,
    ContributionStatus,
    PriorityTheme,
    StrategicAssessment,
)
from authorities.models import Nation, Organisation, OrganisationKind, PoliceForceArea
from partnerships.models import Membership, PartnerOrganisation, Partnership, Role, Seat
from partnerships.ons_lookup import read_lookup
from partnerships.services import partnership_create
from plans.models import (
    ActionStatus,
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
    Quarter,
)
from reminders.models import EmailPreference, Frequency, Notification
from reminders.outbox import digests_send, outbox_send
from reminders.sweep import reminders_sweep

LOOKUP = Path(settings.BASE_DIR).parent / "shared/data/ons/ons_LAD23_CSP23_PFA23_lookup_Dec2023.csv"
PARTNERSHIPS = 314
SEAT_KINDS = {
    Seat.POLICE: OrganisationKind.POLICE_FORCE,
    Seat.LOCAL_AUTHORITY: OrganisationKind.LOCAL_AUTHORITY,
    Seat.FIRE_AND_RESCUE: OrganisationKind.FIRE_AND_RESCUE,
    Seat.PROBATION: OrganisationKind.PROBATION,
    Seat.HEALTH: OrganisationKind.HEALTH,
}
DUE_IN_DAYS = [-10, -3, 0, 1, 3, 5, 7, 9, 12, 14, 20, 30]
THEMES = [
    PriorityTheme.ANTI_SOCIAL_BEHAVIOUR,
    PriorityTheme.VAWDASV,
    PriorityTheme.SUBSTANCE_MISUSE,
]


class _Rollback(Exception):
    pass


class _QueryCounter:
    """Counts the queries run inside it (without keeping them, unlike the debug query log)."""

    def __enter__(self):
        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--lookup", default=str(LOOKUP), help="ONS lookup CSV")
        parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--national",
            action="store_true",
            help="Seed nothing: sweep what the database holds (run `seed_national` first).",
        )

    def handle(
        self, *args, lookup: str, partnerships: int, today: date | None, national: bool, **options
    ):
        today = today or timezone.localdate()
        try:
            with (
                transaction.atomic(),
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            ):
                self._run(Path(lookup), partnerships, today, national=national)
                raise _Rollback
        except _Rollback:
            self.stdout.write("(everything the benchmark wrote has been rolled back)")

    def _run(self, lookup: Path, count: int, today: date, *, national: bool) -> None:
        started = time.perf_counter()
        if national:
            if not Partnership.objects.exists():
                raise CommandError("No partnerships here: run `manage.py seed_national` first.")
            partnerships = list(Partnership.objects.all())
            self.stdout.write(f"The database's own data (sweep day {today.isoformat()}): ")
        else:
            partnerships = self._partnerships(lookup, count)
            self._seed(partnerships, today)
            self.stdout.write(
                f"Seeded {len(partnerships)} partnerships in {time.perf_counter() - started:.1f} s "
                f"(sweep day {today.isoformat()}): "
            )
        self.stdout.write(
            f"  {len(partnerships)} partnerships, "
            f"{ContributionRequest.objects.filter(partnership__in=partnerships).count()} "
            f"contribution requests, "
            f"{PlanAction.objects.filter(partnership__in=partnerships).count()} plan actions, "
            f"{Membership.objects.filter(partnership__in=partnerships).count()} memberships"
        )
        # What the seed's own services announced is not the sweep's: start from an empty outbox.
        Notification.objects.all().delete()
        mail.outbox = []

        with _QueryCounter() as queries:
            started, cpu = time.perf_counter(), time.process_time()
            result = reminders_sweep(today=today)
            sweep_seconds = time.perf_counter() - started
            sweep_cpu = time.process_time() - cpu
        # On a shared machine the wall time counts the waits for the processor too: the time this
        # process computed is the part that does not depend on the neighbours.
        self.stdout.write(
            f"Sweep: {sweep_seconds:.2f} s ({sweep_cpu:.2f} s of this process's CPU), "
            f"{queries.count} queries, {result.items} items due, "
            f"{result.written} outbox rows written"
        )

        with _QueryCounter() as queries:
            started, cpu = time.perf_counter(), time.process_time()
            sent = outbox_send(today=today)
            send_seconds = time.perf_counter() - started
            send_cpu = time.process_time() - cpu
        self.stdout.write(
            f"Send (immediate): {sent.emails} emails in {send_seconds:.2f} s "
            f"({send_cpu:.2f} s CPU), "
            f"{sent.emails / send_seconds:.0f} emails/s, {queries.count} queries; "
            f"{sent.cancelled} cancelled"
        )
        with _QueryCounter() as queries:
            started = time.perf_counter()
            digests = digests_send(today=today)
            digest_seconds = time.perf_counter() - started
        self.stdout.write(
            f"Daily digests: {digests.emails} emails covering {digests.sent} rows in "
            f"{digest_seconds:.2f} s, {queries.count} queries"
        )

        with _QueryCounter() as queries:
            started = time.perf_counter()
            again = reminders_sweep(today=today)
            again_seconds = time.perf_counter() - started
        resent = outbox_send(today=today).emails
        self.stdout.write(
            f"Second sweep: {again_seconds:.2f} s, {queries.count} queries, "
            f"{again.written} rows written, {resent} emails sent"
        )
        emails = sent.emails + digests.emails
        seconds = sweep_seconds + send_seconds + digest_seconds
        self.stdout.write(
            f"Total: {len(mail.outbox)} emails in {seconds:.2f} s from the start of the sweep to "
            f"the last email ({emails / seconds:.0f} emails/s)"
        )
        copies = Counter(
            (tuple(sorted(message.to)), message.subject, message.body) for message in mail.outbox
        )
        twice = sum(count - 1 for count in copies.values() if count > 1)
        self.stdout.write(
            f"Each email once: {'yes' if not twice and not resent else 'NO'} "
            f"({twice} repeated, {resent} sent again by the second sweep)"
        )
        if twice or resent:
            raise CommandError("an email was sent more than once")

    # Seeding -------------------------------------------------------------------------------------

    def _partnerships(self, lookup: Path, count: int) -> list[Partnership]:
        """The benchmark's own partnerships, named after the lookup's CSPs, in a force area of
        their own: the database's partnerships (the demo's, real ones) are never touched, so
        nothing the benchmark seeds can collide with what they hold."""
        if lookup.exists():
            _edition, rows = read_lookup(lookup.read_text(encoding="utf-8-sig"))
            csps = {
                row.csp_code: (row.csp_name, Nation.from_ons_code(row.csp_code)) for row in rows
            }
        else:
            self.stdout.write(f"{lookup} not found: making {count} partnerships up")
            csps = {
                f"E22{number:06d}": (f"Partnership {number}", Nation.ENGLAND)
                for number in range(count)
            }
        force, _created = PoliceForceArea.objects.get_or_create(
            code="E23999999", edition="benchmark", defaults={"name": "Benchmark"}
        )
        taken = set(Partnership.objects.values_list("slug", flat=True))
        partnerships = []
        for code, (name, nation) in list(csps.items())[:count]:
            slug = f"benchmark-{code.lower()}"
            while slug in taken:
                slug += "-b"
            partnerships.append(
                partnership_create(
                    acting_user=None,
                    name=f"{name} (benchmark)",
                    slug=slug,
                    nation=nation,
                    police_force_area=force,
                )
            )
        return partnerships

    def _seed(self, partnerships: list[Partnership], today: date) -> None:
        now = timezone.now()
        year = Quarter.containing(today).year_start
        seats: dict[int, list[tuple[str, Organisation]]] = {}
        groups, organisations = [], []
        for index, partnership in enumerate(partnerships):
            wanted = [*SEAT_KINDS.items()] + [
                (Seat.INVITED, OrganisationKind.INVITED_PARTNER) for _ in range(1 + index % 3)
            ]
            seats[partnership.pk] = []
            for number, (seat, kind) in enumerate(wanted):
                name = f"{partnership.name} {seat} {number} (benchmark {partnership.pk})"
                group = Group(name=f"benchmark:{partnership.pk}:{number}")
                groups.append(group)
                organisation = Organisation(name=name, kind=kind, nation=partnership.nation)
                organisation._group = group
                organisations.append(organisation)
                seats[partnership.pk].append((seat, organisation))
        Group.objects.bulk_create(groups)
        for organisation in organisations:
            organisation.group = organisation._group
        Organisation.objects.bulk_create(organisations)
        PartnerOrganisation.objects.bulk_create(
            PartnerOrganisation(partnership_id=pk, organisation=organisation, seat=seat)
            for pk, held in seats.items()
            for seat, organisation in held
        )

        users, memberships = [], []

        def person(partnership_id, organisation, role):
            user = User(
                email=f"p{len(users)}.{partnership_id}@benchmark.example",
                full_name=f"Person {len(users)}",
                password="!",  # noqa: S106 - an unusable password
            )
            users.append(user)
            memberships.append(
                Membership(
                    partnership_id=partnership_id, user=user, role=role, organisation=organisation
                )
            )

        for pk, held in seats.items():
            by_seat = dict(held)
            person(pk, by_seat[Seat.LOCAL_AUTHORITY], Role.COORDINATOR)
            person(pk, by_seat[Seat.POLICE], Role.STRATEGY_MEMBER)
            for _seat, organisation in held:
                person(pk, organisation, Role.CONTRIBUTOR)
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(memberships)
        EmailPreference.objects.bulk_create(
            EmailPreference(user=user, frequency=Frequency.DAILY) for user in users[::5]
        )

        assessments = [
            StrategicAssessment(
                partnership=partnership,
                year_start=year + 1,
                status=AssessmentStatus.CONTRIBUTIONS_OPEN,
            )
            for partnership in partnerships
        ] + [
            StrategicAssessment(
                partnership=partnership,
                year_start=year + 2,
                status=AssessmentStatus.IN_REVIEW,
                status_changed_at=now - timedelta(days=index % 20),
            )
            for index, partnership in enumerate(partnerships[::3])
        ]
        StrategicAssessment.objects.bulk_create(assessments)
        offsets = cycle(DUE_IN_DAYS)
        requests = []
        for assessment in assessments[: len(partnerships)]:
            for number, (_seat, organisation) in enumerate(seats[assessment.partnership_id]):
                answered = number == 0 and assessment.pk % 4 == 0
                requests.append(
                    ContributionRequest(
                        assessment=assessment,
                        partnership_id=assessment.partnership_id,
                        organisation=organisation,
                        title=f"Figures for {organisation.name[:60]}",
                        questions="What changed?",
                        due_date=today + timedelta(days=next(offsets)),
                        status=ContributionStatus.SUBMITTED
                        if answered
                        else ContributionStatus.REQUESTED,
                        submitted_at=now if answered else None,
                    )
                )
        ContributionRequest.objects.bulk_create(requests)

        plans = [
            PartnershipPlan(
                partnership=partnership,
                period_start=year - index % 3,
                status=PlanStatus.PUBLISHED,
                approved_at=now - timedelta(days=200),
                published_at=now - timedelta(days=190),
            )
            for index, partnership in enumerate(partnerships)
        ]
        PartnershipPlan.objects.bulk_create(plans)
        priorities = [
            PlanPriority(plan=plan, theme=theme, rationale="Benchmark", position=position)
            for plan in plans
            for position, theme in enumerate(THEMES)
        ]
        PlanPriority.objects.bulk_create(priorities)
        by_plan: dict[int, list[PlanPriority]] = {}
        for priority in priorities:
            by_plan.setdefault(priority.plan_id, []).append(priority)
        actions = []
        for index, plan in enumerate(plans):
            held = seats[plan.partnership_id]
            for number in range(10 + index % 11):
                actions.append(
                    PlanAction(
                        plan=plan,
                        partnership_id=plan.partnership_id,
                        priority=by_plan[plan.pk][number % len(THEMES)],
                        description=f"Action {number} of {plan.partnership_id}",
                        lead_organisation=held[number % len(held)][1],
                        start_date=plan.starts_on,
                        due_date=plan.ends_on,
                        status=ActionStatus.ON_TRACK,
                        position=number,
                    )
                )
        PlanAction.objects.bulk_create(actions)
        last = Quarter.containing(Quarter.containing(today).starts_on - timedelta(days=1))
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                year_start=last.year_start,
                quarter=last.number,
                narrative="Reported.",
                status=ActionStatus.ON_TRACK,
            )
            for action in actions[::2]
        )
