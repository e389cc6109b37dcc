"""Read paths of the national picture: the compliance counts (``compliance``) and the public
register with its open data (``register``)."""

from .compliance import (
    SORT_COLUMNS,
    SORT_KEYS,
    ComplianceRow,
    compliance_rows,
    filtered_compliance,
    force_areas_of,
)
from .learning import learning_counts, learning_of
from .register import (
    last_updated,
    published_priorities,
    register_entry,
    register_records,
    register_search,
)

__all__ = [
    "SORT_COLUMNS",
    "SORT_KEYS",
    "ComplianceRow",
    "compliance_rows",
    "filtered_compliance",
    "force_areas_of",
    "last_updated",
    "learning_counts",
    "learning_of",
    "published_priorities",
    "register_entry",
    "register_records",
    "register_search",
]
