"""Demonstration data: police recorded crime for the year ending June 2025 for six police force
areas (Greater Manchester, Lincolnshire, Cleveland, Devon and Cornwall, South Wales, Gwent), rows
copied byte for byte from the published Table C2, so every force still adds up to its total."""

from pathlib import Path

from accounts.models import User
from recorded_crime.models import CrimeRelease, PopulationEdition, SimilarAreasEdition
from recorded_crime.reader import read_crime_file
from recorded_crime.selectors import release_exists
from recorded_crime.services import (
    crime_release_import,
    population_edition_import,
    similar_areas_import,
)

EXTRACT = Path(__file__).parent / "data" / "prc_tableC2_demo_extract_ye_jun2025.csv"


def load_demo_release(acting_user: User | None = None) -> CrimeRelease | None:
    """Import the extract unless its period is already here (a real import wins). Returns the new
    release, or None when there was nothing to do."""
    data = EXTRACT.read_bytes()
    table = read_crime_file(data, file_name=EXTRACT.name)
    if release_exists(period_end=table.period_end):
        return None
    return crime_release_import(acting_user=acting_user, data=data, file_name=EXTRACT.name).release


POPULATION_EXTRACT = Path(__file__).parent / "data" / "ons_population_demo_extract_mid2023.csv"
NEIGHBOURS_EXTRACT = Path(__file__).parent / "data" / "ons_els_global_neighbours_demo_extract.csv"
NEIGHBOURS_EDITION = "ONS Explore Local Statistics, global nearest neighbours (2024)"


def load_demo_population(acting_user: User | None = None) -> None:
    """ONS mid-2023 population estimates and ONS's nearest neighbours of the demo partnerships'
    districts (rows copied byte for byte from the published files), unless a real import of the
    same edition is here. The crime profile's rates per 1,000 come from them; similar areas need
    the neighbours' partnerships too, which the demo does not have."""
    if not PopulationEdition.objects.filter(mid_year=2023).exists():
        population_edition_import(
            acting_user=acting_user,
            data=POPULATION_EXTRACT.read_bytes(),
            file_name=POPULATION_EXTRACT.name,
            mid_year=2023,
        )
    if not SimilarAreasEdition.objects.filter(label=NEIGHBOURS_EDITION).exists():
        similar_areas_import(
            acting_user=acting_user,
            data=NEIGHBOURS_EXTRACT.read_bytes(),
            file_name=NEIGHBOURS_EXTRACT.name,
            label=NEIGHBOURS_EDITION,
        )
