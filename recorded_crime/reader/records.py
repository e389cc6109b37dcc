"""What reading produces: rows of cell strings from either format, then the checked table."""

from dataclasses import dataclass, field
from datetime import date

from ..models import AreaKind


class CrimeFileError(Exception):
    """The file was refused; ``errors`` says why, row by row. Nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class SourceRow:
    number: int
    cells: list[str]


@dataclass
class AreaRecord:
    source_row: int
    kind: str
    force_code: str
    force_name: str
    published_force_code: str
    published_force_name: str
    csp_code: str
    area_name: str
    counts: dict[str, int | None]


@dataclass
class CrimeTable:
    period_label: str
    period_end: date
    file_format: str
    areas: list[AreaRecord]
    warnings: list[str] = field(default_factory=list)

    def count(self, *kinds: str) -> int:
        return sum(1 for area in self.areas if area.kind in kinds)

    @property
    def csp_codes(self) -> list[str]:
        return [area.csp_code for area in self.areas if area.kind == AreaKind.CSP]
