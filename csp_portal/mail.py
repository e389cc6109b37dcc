"""Email subjects on one line, whatever the data they are built from.

A subject with CR or LF raises BadHeaderError and the email never goes; forms refuse control
characters now (csp_portal/text.py), but rows saved before, and names from imports, may still hold
them. Every subject the service builds goes through ``subject_line`` (tests/test_code_rules.py).
"""

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def subject_line(text) -> str:
    """``text`` with every run of whitespace and control characters made one space."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())
