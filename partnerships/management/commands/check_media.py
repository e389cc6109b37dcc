"""List the records whose files are missing from storage, after a restore or a disk fault.

Every file field of every model is walked (a new one is covered as soon as it exists), one query
per field however many records there are. Each missing file is reported with its model, record,
field, stored name and, where the record belongs to one, its partnership. The exit status is 1
when anything is missing, so a restore script can stop on it.
"""

import json
from dataclasses import asdict, dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from partnerships.models import Partnership

# How far to follow foreign keys from a record to its partnership (document -> answer ->
# report request -> partnership is three).
PARTNERSHIP_DEPTH = 4


@dataclass(frozen=True)
class MissingFile:
    model: str
    pk: int | str
    field: str
    name: str
    partnership: str | None


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def partnership_path(model: type[models.Model], depth: int = PARTNERSHIP_DEPTH) -> str | None:
    """The lookup from ``model`` to its partnership's slug ("entry__report_request__partnership
    __slug"), through the shortest chain of foreign keys, or None."""
    if model is Partnership:
        return "slug"
    chains = [("", model)]
    for _step in range(depth):
        following = []
        for prefix, current in chains:
            for field in current._meta.concrete_fields:
                if not field.many_to_one and not field.one_to_one:
                    continue
                if field.related_model is Partnership:
                    return f"{prefix}{field.name}__slug"
                following.append((f"{prefix}{field.name}__", field.related_model))
        chains = following
    return None


def missing_files() -> tuple[int, list[MissingFile]]:
    """How many stored files were checked, and those that are not in storage."""
    checked, missing = 0, []
    for model, field in file_fields():
        slug = partnership_path(model)
        rows = (
            model._base_manager.exclude(**{field.name: ""})
            .exclude(**{f"{field.name}__isnull": True})
            .order_by("pk")
            .values_list("pk", field.name, *([slug] if slug else []))
        )
        for pk, name, *partnership in rows.iterator(chunk_size=2000):
            checked += 1
            if not field.storage.exists(name):
                missing.append(
                    MissingFile(
                        model=model._meta.label_lower,
                        pk=pk,
                        field=field.name,
                        name=name,
                        partnership=partnership[0] if partnership else None,
                    )
                )
    return checked, missing


class Command(BaseCommand):
    help = (
        "List records whose files (uploaded documents, made PDFs) are missing from storage "
        "(CSP_MEDIA_ROOT); exit status 1 if any is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Write the report as JSON.")

    def handle(self, *args, **options):
        checked, missing = missing_files()
        if options["json"]:
            self.stdout.write(
                json.dumps({"checked": checked, "missing": [asdict(row) for row in missing]})
            )
        else:
            for row in missing:
                self.stdout.write(
                    f"missing: {row.model} {row.pk} {row.field} {row.name}"
                    + (f" (partnership {row.partnership})" if row.partnership else "")
                )
            self.stdout.write(f"{checked} files checked, {len(missing)} missing.")
        if missing:
            raise CommandError(f"{len(missing)} of {checked} files are missing from storage.")
