"""Accounts are matched on the canonical spelling of their email (accounts.models.canonical_email)
exactly, no longer case-insensitively: rewrite any address stored otherwise."""

import unicodedata
from collections import defaultdict

from django.db import migrations


def canonical_email(value: str) -> str:
    # A copy: a migration keeps the rule as it was when it ran.
    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    return unicodedata.normalize("NFKC", folded)


def make_canonical(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    spellings = defaultdict(list)
    for pk, email in User.objects.values_list("pk", "email"):
        spellings[canonical_email(email)].append((pk, email))
    clashes = [email for email, accounts in spellings.items() if len(accounts) > 1]
    if clashes:
        raise RuntimeError(
            "Several accounts differ only by letter case or Unicode form; merge or rename them "
            f"first: {', '.join(sorted(clashes))}"
        )
    for canonical, [(pk, email)] in spellings.items():
        if email != canonical:
            User.objects.filter(pk=pk).update(email=canonical)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_account_emails"),
    ]

    operations = [migrations.RunPython(make_canonical, migrations.RunPython.noop)]
