from django.core.management.base import BaseCommand

from partnerships.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demonstration partnerships, organisations and people (safe to run again)."

    def handle(self, *args, **options):
        logins = seed_demo()
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
