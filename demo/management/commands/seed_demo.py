from django.core.management.base import BaseCommand
from django.db import transaction

from demo.assessments import seed_assessments
from demo.casereviews import seed_casereviews
from demo.engagement import seed_engagement
from demo.grants import seed_grants
from demo.national_oversight import seed_national_oversight
from demo.oversight import seed_oversight
from demo.partnerships import DEMO_PASSWORD, seed_demo
from demo.plans import seed_plans
from demo.recorded_crime import load_demo_population, load_demo_release
from demo.reviews import seed_reviews
from demo.scrutiny import seed_scrutiny
from partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Load the demonstration partnerships, people, police recorded crime and strategic "
        "assessments (safe to run again)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = seed_demo()
            load_demo_release()
            load_demo_population()
            partnerships = {p.ons_code: p for p in Partnership.objects.exclude(ons_code="")}
            seed_assessments(partnerships=partnerships)
            # Before the plans: the progress reports they issue count the reviews as they stand.
            seed_reviews(partnerships=partnerships)
            seed_plans(partnerships=partnerships)
            seed_oversight(partnerships=partnerships)
            seed_grants(partnerships=partnerships)
            seed_casereviews(partnerships=partnerships)
            seed_scrutiny(partnerships=partnerships)
            logins.append(seed_national_oversight())
            seed_engagement(partnerships=partnerships)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Every demo login uses the password:")
        )
        self.stdout.write(f"    {DEMO_PASSWORD}\n")
        for login in logins:
            self.stdout.write(f"  {login.email:<34} {login.roles}")
            if login.backup_codes:
                self.stdout.write(
                    "  "
                    + " " * 34
                    + " two-factor backup codes (one use each): "
                    + " ".join(login.backup_codes[:5])
                )
