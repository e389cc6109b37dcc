"""The plans app's forms, by domain: drafting (and approval), progress, reports."""
