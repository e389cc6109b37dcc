"""The real Table C2 file, read independently of the code under test, and helpers to edit it."""

import csv
import io
from pathlib import Path

import pytest
from django.apps import apps

from recorded_crime.offences import OFFENCE_GROUPS

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ons"
C2 = DATA / "ons_prc_tableC2_csp_ye_jun2025.csv"
LOOKUP_2023 = DATA / "ons_LAD23_CSP23_PFA23_lookup_Dec2023.csv"
FIRST_COUNT_COLUMN = 6


@pytest.fixture(scope="session")
def c2_bytes() -> bytes:
    return C2.read_bytes()


@pytest.fixture(scope="session")
def c2_text(c2_bytes) -> str:
    return c2_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def c2_records(c2_text) -> list[list[str]]:
    """The file's records as the csv module reads them: 7 preamble lines, the header, the rows."""
    records = list(csv.reader(io.StringIO(c2_text, newline="")))
    header = [" ".join(cell.split()) for cell in records[7][FIRST_COUNT_COLUMN:]]
    assert header == [group.heading for group in OFFENCE_GROUPS]
    return records


def file_counts(record: list[str]) -> dict[str, int | None]:
    """Counts of one record, parsed the obvious way: '41,521 ' is 41521, blank or [x] is None."""
    values = {}
    for group, cell in zip(OFFENCE_GROUPS, record[FIRST_COUNT_COLUMN:], strict=True):
        text = cell.strip().replace(",", "")
        values[group.key] = None if text in {"", "[x]"} else int(text)
    return values


def csp_record(records: list[list[str]], code: str) -> list[str]:
    (record,) = [r for r in records[8:] if r[2].strip() == code]
    return record


def line_of(text: str, needle: str) -> int:
    """The line of the file on which ``needle`` first appears."""
    return text[: text.index(needle)].count("\n") + 1


def edited(text: str, old: str, new: str) -> bytes:
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def row_counts() -> dict[str, int]:
    """Row counts of every model: anything written shows up here."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


POPULATION = DATA / "population" / "policyengine_la_age_mid2023.csv"
NEIGHBOURS = DATA / "similar_areas" / "ons_els_global-neighbours.csv"


@pytest.fixture(scope="session")
def district_residents() -> dict[str, int]:
    """District code -> all ages, read the obvious way from the real file."""
    with POPULATION.open(newline="") as handle:
        return {row["code"]: int(float(row["all"])) for row in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def lookup_rows() -> list[dict[str, str]]:
    with LOOKUP_2023.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))
