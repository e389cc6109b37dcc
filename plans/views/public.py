"""Placeholder: filled in by its owner."""

site_patterns: list = []
