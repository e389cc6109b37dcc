"""Demonstration data: police recorded crime for the year ending June 2025 for six police force
areas (Greater Manchester, Lincolnshire, Cleveland, Devon and Cornwall, South Wales, Gwent), rows
copied byte for byte from the published Table C2, so every force still adds up to its total."""

from pathlib import Path

from accounts.models import User
from recorded_crime.models import CrimeRelease
from recorded_crime.reader import read_crime_file
from recorded_crime.selectors import release_exists
from recorded_crime.services import crime_release_import

EXTRACT = Path(__file__).parent / "data" / "prc_tableC2_demo_extract_ye_jun2025.csv"


def load_demo_release(acting_user: User | None = None) -> CrimeRelease | None:
    """Import the extract unless its period is already here (a real import wins). Returns the new
    release, or None when there was nothing to do."""
    data = EXTRACT.read_bytes()
    table = read_crime_file(data, file_name=EXTRACT.name)
    if release_exists(period_end=table.period_end):
        return None
    return crime_release_import(acting_user=acting_user, data=data, file_name=EXTRACT.name).release
