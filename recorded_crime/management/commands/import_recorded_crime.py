from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recorded_crime.reader import CrimeFileError
from recorded_crime.services import crime_release_import


class Command(BaseCommand):
    help = (
        "Load the Home Office / ONS table 'police recorded crime for headline offences by "
        "Community Safety Partnership area' (Table C2, CSV or XLSX). Importing a period again "
        "replaces its figures; a file with any bad row is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--period",
            default="",
            help="e.g. 'year ending June 2025', if the title lacks it or gives it wrongly.",
        )

    def handle(self, *args, file: Path, period: str, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            result = crime_release_import(
                acting_user=None, data=data, file_name=file.name, period=period
            )
        except CrimeFileError as error:
            raise CommandError(
                f"{file} was not imported; nothing was changed.\n" + "\n".join(error.errors)
            ) from error
        release = result.release
        self.stdout.write(
            f"Police recorded crime, {release.period_label} (ending {release.period_end:%d %B %Y})"
            f"{' replaced' if result.replaced else ' imported'}: "
            f"{result.csps} CSPs ({result.partnerships_matched} match a partnership here), "
            f"{result.force_totals} force totals, {result.context_rows} other rows"
            + (f" ({', '.join(result.context_names)} among them)" if result.context_names else "")
            + "."
        )
        for warning in result.warnings:
            self.stdout.write(f"  warning: {warning}")
