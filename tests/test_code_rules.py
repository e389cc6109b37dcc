"""Rules of STYLE.md that a tool can check, so that nobody has to remember them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = [p for p in ROOT.iterdir() if (p / "apps.py").exists()]


def _modules(name: str):
    """Each app's ``name`` module, or every module of the package it became (views/, api/)."""
    for app in APPS:
        package = app / name.removesuffix(".py")
        for path in [app / name, *sorted(package.glob("*.py"))]:
            if path.exists():
                yield path, ast.parse(path.read_text())


def test_views_and_api_read_through_selectors_not_the_orm():
    """An unscoped ``Model.objects`` in a view is how another partnership's data leaks."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for name in ("views.py", "api.py")
        for path, tree in _modules(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert offenders == []


def test_tasks_are_queued_only_after_commit():
    """``.delay()`` inside an open transaction can run before the data it needs is committed."""
    offenders = []
    for app in APPS:
        for path in app.rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if ".delay(" in line and "on_commit(" not in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_views_never_import_guardian():
    """Object permissions are asked through each app's permission policy."""
    offenders = [
        str(path.relative_to(ROOT))
        for path, tree in _modules("views.py")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom | ast.Import)
        and any(
            "guardian" in (getattr(node, "module", "") or "") or "guardian" in alias.name
            for alias in node.names
        )
    ]
    assert offenders == []


def test_templates_ask_only_for_permissions_that_exist():
    """``{% if can.manage_peeple %}`` would silently hide a button; permissions are named once."""
    import re

    from partnerships.permissions import Perm

    asked = {
        (str(path.relative_to(ROOT)), name)
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        for name in re.findall(r"\bcan\.(\w+)", path.read_text())
    }
    assert asked, "the templates ask for permissions through `can`"
    assert {(path, name) for path, name in asked if name not in set(Perm)} == set()


def test_links_in_emails_start_with_the_site_address():
    """CSP_SITE_URL (csp_portal/site.py), not the request's Host: a reminder sent by the worker
    and an invitation sent from a page link to the same place, and a forged Host goes nowhere."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules("views.py")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "build_absolute_uri"
    ] + [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("**/templates/**/email/*")
        if ".venv" not in path.parts
        and ("{{ domain }}" in path.read_text() or "{{ protocol }}" in path.read_text())
    ]
    assert offenders == []


def test_pages_have_no_inline_script_or_style_without_the_nonce():
    """The Content-Security-Policy runs no inline code without the request's nonce and applies no
    style attribute: use a class. Emails and the PDFs' own print rules never reach a browser."""
    import re

    inline = re.compile(
        r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>|<style\b(?![^>]*\bnonce=)|\sstyle=\"", re.I
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        and "email" not in path.parts
        and path.name != "print_styles.html"
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []


def test_every_email_subject_is_put_on_one_line():
    """A subject with a line break raises BadHeaderError and the email never goes: every subject
    the service builds passes through csp_portal.mail.subject_line, whatever its data holds."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for app in APPS
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.keyword)
        and node.arg == "subject"
        and not (
            isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "subject_line"
        )
    ]
    assert offenders == []


def _project_subclasses(base) -> list[type]:
    """Every subclass of ``base`` defined in the project, after importing every app module."""
    import importlib

    for app in [*APPS, ROOT / "csp_portal"]:
        for path in sorted(app.rglob("*.py")):
            if not {"migrations", "management"} & set(path.parts):
                importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    found, queue = [], [base]
    while queue:
        for subclass in queue.pop().__subclasses__():
            queue.append(subclass)
            if subclass.__module__.split(".")[0] in {app.name for app in APPS} | {"csp_portal"}:
                found.append(subclass)
    return found


def test_every_form_refuses_control_characters_in_its_text():
    """Through GovukFormMixin or PlainTextFormMixin every text field gets csp_portal/text.py's
    rule, single-line fields refusing line breaks too; a new form cannot go without it."""
    from django import forms

    from csp_portal.text import PlainTextFormMixin

    project_forms = _project_subclasses(forms.BaseForm)
    assert len(project_forms) > 40
    assert [f for f in project_forms if not issubclass(f, PlainTextFormMixin)] == []


def test_every_api_body_refuses_control_characters_in_its_text():
    """Every view that takes a body reads it with a StrictSerializer, whose every text field
    (nested ones too) has csp_portal/text.py's rule."""
    from django.urls import get_resolver
    from rest_framework import serializers

    from csp_portal.api import StrictSerializer
    from csp_portal.text import has_plain_text_rule

    def text_fields(serializer):
        for name, field in serializer.fields.items():
            field = getattr(field, "child", field)
            if isinstance(field, serializers.Serializer):
                yield from ((f"{name}.{n}", f) for n, f in text_fields(field))
            elif isinstance(field, serializers.CharField):
                yield name, field

    writers = [
        view
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern) == "api/v1/"
        for route in pattern.url_patterns
        if (view := getattr(route.callback, "view_class", None))
        and any(hasattr(view, method) for method in ("post", "put", "patch"))
    ]
    assert len(writers) >= 3
    assert [v for v in writers if not issubclass(v.serializer_class, StrictSerializer)] == []

    missing = [
        f"{serializer.__name__}.{name}"
        for serializer in _project_subclasses(StrictSerializer)
        for name, field in text_fields(serializer())
        if not has_plain_text_rule(field)
    ]
    assert missing == []
