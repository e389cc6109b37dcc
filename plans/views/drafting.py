"""Placeholder: filled in by its owner."""

tenant_patterns: list = []
