from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recorded_crime.reader import CrimeFileError
from recorded_crime.reader.population import mid_year_from_name
from recorded_crime.services import population_edition_import


class Command(BaseCommand):
    help = (
        "Load ONS mid-year population estimates by local authority district and single year of "
        "age (code,name,all,0,…,89,90+). Each mid-year is kept as its own edition; importing one "
        "again changes only what differs; a file with any bad row is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mid-year", type=int, default=None, help="e.g. 2023, if the file name lacks it."
        )

    def handle(self, *args, file: Path, mid_year: int | None, **options):
        mid_year = mid_year or mid_year_from_name(file.name)
        if not mid_year:
            raise CommandError("Give --mid-year: the file name does not say which (e.g. mid2023).")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            result = population_edition_import(
                acting_user=None, data=data, file_name=file.name, mid_year=mid_year
            )
        except CrimeFileError as error:
            raise CommandError(
                f"{file} was not imported; nothing was changed.\n" + "\n".join(error.errors)
            ) from error
        state = (
            "imported"
            if result.created
            else f"{result.changed} districts changed"
            if result.changed
            else "unchanged"
        )
        self.stdout.write(
            f"Population estimates mid-{mid_year} {state}: {result.districts} districts of "
            f"England and Wales ({result.skipped_other_nations} rows of other nations skipped)."
        )
