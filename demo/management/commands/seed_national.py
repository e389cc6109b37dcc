"""Seed national-scale data (every CSP of England and Wales, several years of history) into an
empty database: see demo/national.py for what it holds and how it is written."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo.national import NATIONAL_PASSWORD, seed_national


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=17, help="The same seed, the same data.")
        parser.add_argument(
            "--partnerships",
            type=int,
            default=None,
            help="Seed only about this many partnerships (whole force areas); all 314 if absent.",
        )

    def handle(self, *args, seed: int, partnerships: int | None, **options):
        started = time.perf_counter()
        with transaction.atomic():
            result = seed_national(seed=seed, partnerships=partnerships)
        # A bulk load leaves the planner's statistics as they were (empty tables): until
        # autovacuum gets round to it (never, where it is off) every list is planned as a scan of
        # the whole table. Measure what production plans, as after any restore.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.0f} s:")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<32} {count:>8,}")
        self.stdout.write(f"Every login's password: {NATIONAL_PASSWORD}")
