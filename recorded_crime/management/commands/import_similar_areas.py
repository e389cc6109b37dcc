from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recorded_crime.reader import CrimeFileError
from recorded_crime.services import similar_areas_import


class Command(BaseCommand):
    help = (
        "Load ONS's statistical nearest neighbours of local authorities (Explore Local "
        "Statistics, AREACD,1,…,20), the similar areas of the crime profile. Not the Home "
        "Office's most similar groups. A file with any bad row is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--edition",
            default="",
            help="A label for this edition, e.g. 'ONS ELS global, 2024'; the file name if not.",
        )

    def handle(self, *args, file: Path, edition: str, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            result, changed = similar_areas_import(
                acting_user=None, data=data, file_name=file.name, label=edition or file.stem
            )
        except CrimeFileError as error:
            raise CommandError(
                f"{file} was not imported; nothing was changed.\n" + "\n".join(error.errors)
            ) from error
        self.stdout.write(
            f"Similar areas '{result.label}': "
            + ("imported." if changed else "unchanged (the same neighbours were already here).")
        )
