from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.ons_lookup import LookupFileError, import_lookup


class Command(BaseCommand):
    help = (
        "Load the ONS lookup 'local authority district to Community Safety Partnership to "
        "police force area' (CSV, any edition). Re-running it updates; it never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--edition", default="", help="Edition year, e.g. 2024, if the header lacks it."
        )

    def handle(self, *args, file: Path, edition: str, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            result = import_lookup(text, edition=edition)
        except LookupFileError as error:
            raise CommandError(
                f"{file} was not imported; nothing was changed.\n" + "\n".join(error.errors)
            ) from error
        self.stdout.write(
            f"ONS {result.edition} edition: "
            f"{len(result.partnerships_created)} partnerships created, "
            f"{len(result.partnerships_updated)} updated, "
            f"{result.partnerships_unchanged} unchanged; "
            f"{result.districts_created} districts created, {result.districts_updated} updated; "
            f"{result.police_force_areas_created} police force areas created, "
            f"{result.police_force_areas_updated} updated."
        )
        for name in result.partnerships_updated:
            self.stdout.write(f"  updated: {name}")
        for label, count in result.carried.items():
            self.stdout.write(f"  carried to the {result.edition} edition: {count} {label}")
