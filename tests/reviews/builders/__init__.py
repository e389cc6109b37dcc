"""Reviews, their evidence, documents and action plan, built through the services, by domain.

A test module loads the fixtures with ``pytest_plugins = ["tests.reviews.builders"]`` and imports
the helpers from here as usual. The fixtures' names are their own, so that those of
tests/reviews/conftest.py (someone else's) never collide with them. As the modules are imported
before pytest loads the package as a plugin, they are left unrewritten (they have no asserts):
each says PYTEST_DONT_REWRITE.
"""

from .action_plan import action_line, add_line
from .documents import attach_document, attached_document, pdf_upload
from .evidence import ask, council_chronology, police_chronology, police_imr
from .quality_assurance import FEEDBACK, TO_RETURNED, chair_of, returned_with_feedback
from .reviews import (
    CHAIR_NAME,
    EVIDENCE_TO_PUBLISHED,
    STEP_FIELDS,
    TO_EVIDENCE,
    TODAY,
    advance,
    author,
    council_author,
    council_org,
    dhr,
    police_author,
    police_org,
    review_gathering_evidence,
    review_once_per_module,
    snapshot,
    url,
)

__all__ = [
    "CHAIR_NAME",
    "EVIDENCE_TO_PUBLISHED",
    "FEEDBACK",
    "STEP_FIELDS",
    "TODAY",
    "TO_EVIDENCE",
    "TO_RETURNED",
    "action_line",
    "add_line",
    "advance",
    "ask",
    "attach_document",
    "attached_document",
    "author",
    "chair_of",
    "council_author",
    "council_chronology",
    "council_org",
    "dhr",
    "pdf_upload",
    "police_author",
    "police_chronology",
    "police_imr",
    "police_org",
    "returned_with_feedback",
    "review_gathering_evidence",
    "review_once_per_module",
    "snapshot",
    "url",
]
