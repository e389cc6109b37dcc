"""Rules of STYLE.md that a tool can check, so that nobody has to remember them."""

import ast
import re
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
    from partnerships.permissions import Perm

    asked = {
        (str(path.relative_to(ROOT)), name)
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        for name in re.findall(r"\bcan\.(\w+)", path.read_text())
    }
    assert asked, "the templates ask for permissions through `can`"
    assert {(path, name) for path, name in asked if name not in set(Perm)} == set()


# A service whose name says it makes something (or sends, or records it) ...
MAKES_SOMETHING = re.compile(
    r"_(create|add|send|start|notify|issue|upload|request|refresh|new_version|record|report|save"
    r"|sign_off|grant|answer|ask_more|import)$"
)
# ... is acted on once per form or API request, unless it cannot make a second anything:
ONCE_BY_ITSELF = {
    "review_learning_record": "one row per review, set to what the form says: sent twice, same row",
    "plan_document_request": "reuses the document of the plan's state (get_or_create)",
    "published_summary_request": "the public's plan_document_request, signed out",
    "contribution_save": "edits the one draft under its revision: a resend is refused as stale",
    "access_grant": "one grant per person and review: a second is refused, nothing is made",
    "crime_release_import": "importing a period again replaces it",
    "population_edition_import": "importing a mid-year again changes only what differs",
    "password_change_record": "audits the change Django's own password form made",
    "password_reset_request": "asked signed out (nobody to hold a token); limited per address",
}


def _services() -> dict[str, ast.FunctionDef]:
    found = {}
    for app in APPS:
        for path in [app / "services.py", *sorted((app / "services").glob("*.py"))]:
            if path.exists():
                for node in ast.parse(path.read_text()).body:
                    if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                        found[node.name] = node
    return found


def _calls_from_views_and_api():
    for name in ("views.py", "api.py"):
        for path, tree in _modules(name):
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    called = (
                        func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    )
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", called, node


def test_every_form_or_request_that_makes_something_is_acted_on_once():
    """A double click, a resend or a retry must not make two actions, requests or emails: each
    service that makes something claims the form's one-time token (csp_portal.submissions) in
    its transaction, and each view and API endpoint calling it hands the token over."""
    services = _services()
    called = {name for _, name, _ in _calls_from_views_and_api() if name in services}
    makers = {name for name in called if MAKES_SOMETHING.search(name)} - set(ONCE_BY_ITSELF)
    assert makers, "the rule finds the services the views call"

    def claims(scope) -> bool:
        return any(
            isinstance(call, ast.Call)
            and getattr(call.func, "id", "") == "submission_claim"
            and [ast.unparse(arg) for arg in call.args] == ["submission"]
            for call in ast.walk(scope)
        )

    unclaimed = []
    for name in sorted(makers):
        node = services[name]
        takes = any(arg.arg == "submission" for arg in node.args.kwonlyargs)
        # In the transaction that makes the thing: a failure releases the claim with it.
        in_transaction = (
            any(ast.unparse(d) == "transaction.atomic" for d in node.decorator_list)
            and claims(node)
        ) or any(
            isinstance(block, ast.With)
            and any(
                ast.unparse(item.context_expr) == "transaction.atomic()" for item in block.items
            )
            and claims(block)
            for block in ast.walk(node)
        )
        if not (takes and in_transaction):
            unclaimed.append(name)
    not_handed_over = [
        f"{where} {name}"
        for where, name, call in _calls_from_views_and_api()
        if name in makers and not any(keyword.arg == "submission" for keyword in call.keywords)
    ]
    assert (unclaimed, not_handed_over) == ([], [])
    assert set(ONCE_BY_ITSELF) <= set(services), "an exemption names a service that is gone"


def test_every_button_that_sends_a_form_ignores_a_second_click():
    """GOV.UK Frontend's Button drops a second click within a second: every button of a form
    that writes carries ``data-prevent-double-click``, whether a template writes it or the
    form's layout (csp_portal.forms.GovukFormMixin, the one place a layout button is made)."""
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        for form in re.finditer(r"<form\b[^>]*>.*?</form>", text, re.S):
            if 'method="post"' not in form.group(0).split(">", 1)[0]:
                continue
            for button in re.finditer(
                r"<button\b[^>]*>|<input\b[^>]*type=\"submit\"[^>]*>", form.group(0)
            ):
                tag = button.group(0)
                if 'type="button"' in tag:
                    continue
                if 'data-prevent-double-click="true"' not in tag:
                    offenders.append(f"{path.relative_to(ROOT)}: {tag[:60]}")
    made_in_code = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for app in [*APPS, ROOT / "csp_portal"]
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"Submit", "Button"}
        and not any(k.arg == "data_prevent_double_click" for k in node.keywords)
    ]
    assert (offenders, made_in_code) == ([], [])


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


EMAIL_CLASSES = {"EmailMessage", "EmailMultiAlternatives", "send_mail", "send_mass_mail"}


def _renders_an_email(node: ast.AST) -> bool:
    """Building an email, or rendering a template under an ``email/`` folder."""
    if not isinstance(node, ast.Call):
        return False
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    if name in EMAIL_CLASSES:
        return True
    if name == "render_to_string" and node.args:
        template = node.args[0]
        text = ast.unparse(template)
        return "/email/" in text
    return False


def _in_recipient_language(parents: list[ast.AST]) -> bool:
    return any(
        isinstance(parent, ast.With)
        and any(
            isinstance(item.context_expr, ast.Call)
            and getattr(item.context_expr.func, "id", None) == "recipient_language"
            for item in parent.items
        )
        for parent in parents
    )


def test_every_email_is_rendered_in_its_recipients_language():
    """An email's subject and body are put together inside csp_portal.languages.
    recipient_language(...), so a Welsh-speaking recipient reads Welsh whoever sent it."""
    offenders = []

    def visit(node: ast.AST, parents: list[ast.AST], path: Path) -> None:
        if _renders_an_email(node) and not _in_recipient_language(parents):
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, [*parents, node], path)

    for app in APPS:
        for path in app.rglob("*.py"):
            if not {"migrations", "management"} & set(path.parts):
                visit(ast.parse(path.read_text()), [], path)
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


# Services that take an acting user but decide nothing a policy could, and why.
ACTS_WITHOUT_POLICY = {
    "audit_record": "writes the audit event of a service that has already asked",
    "access_follow_membership": "the membership hook: ends grants for whoever left, for no one",
    "case_access_follow_membership": "the same for ASB case grants",
    "notification_mark_read": "one's own notifications, found through the user",
    "notifications_mark_all_read": "one's own notifications, found through the user",
    "notifications_read_on_visit": "one's own notifications, of the page one opened",
    "progress_report_read": "one's own read mark, of a report the view found among one's own",
    "email_preference_update": "one's own email preference",
    "user_language_set": "one's own choice of language",
    "two_factor_begin": "one's own authenticator, behind the two-factor checks of accounts",
    "two_factor_confirm": "one's own authenticator, behind the two-factor checks of accounts",
    "backup_codes_replace": "one's own backup codes, behind a verified session",
    "password_change_record": "records one's own password change",
    "api_token_create": "one's own token, of partnerships one is a member of",
    "api_token_revoke": "one's own token",
    "organisation_create": "the platform's register of organisations: administrators only",
    "local_policing_bodies_record": "national reference data: the ONS import and the migration",
    "local_policing_body_succeed": "national reference data: administrators only",
    "partnership_create": "the platform's register of partnerships: the admin and ONS import",
    "partnership_merge": "the platform's register of partnerships: administrators only",
    "crime_release_import": "a national statistics release: administrators only",
    "population_edition_import": "a national statistics release: administrators only",
    "similar_areas_import": "a national statistics release: administrators only",
    "measures_fill_from_release": "the release hook, acting for the import that asked",
}


def _asks_a_policy(function: ast.FunctionDef, local: dict, seen: set) -> bool:
    """Whether ``function`` calls ``require`` (``Policy.require``, ``require_user`` ...), itself
    or through a helper of its module."""
    seen.add(function.name)
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if "require" in name:
                return True
            if name in local and name not in seen and _asks_a_policy(local[name], local, seen):
                return True
    return False


def test_every_service_that_acts_for_someone_asks_its_policy():
    """A service is where a rule is enforced: a view that forgets a check, or the API or a task
    calling the service directly, still meets the policy (as Zulip's actions do)."""
    offenders = []
    for path, tree in _modules("services.py"):
        local = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        for name, function in local.items():
            arguments = function.args.kwonlyargs + function.args.args
            if (
                not name.startswith("_")
                and "acting_user" in {argument.arg for argument in arguments}
                and name not in ACTS_WITHOUT_POLICY
                and not _asks_a_policy(function, local, set())
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{name}")
    assert offenders == []


# Where a role may be named: the role table, the policies, and code that makes people up.
ROLE_DECIDERS = ("permissions.py", "policies.py", "policies/", "migrations/", "management/")


def _names_a_role(node: ast.AST) -> bool:
    """``Role.COORDINATOR``, ``membership.role == ...`` or ``role__in=...`` in a query."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role" and node.attr.isupper()
    if isinstance(node, ast.Compare):
        sides = (node.left, *node.comparators)
        is_none = any(isinstance(side, ast.Constant) and side.value is None for side in sides)
        return not is_none and any(
            isinstance(side, ast.Attribute) and side.attr == "role" for side in sides
        )
    if isinstance(node, ast.keyword) and node.arg:  # a lookup, not a role handed on (role=role)
        return node.arg == "role__in" or node.arg.endswith(("__role", "__role__in"))
    return False


def test_only_policies_compare_roles():
    """Who may do what is decided in one place per workflow model: a role named anywhere else
    is a second rule, and drifts from the first."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for app in APPS
        if app.name != "demo"
        for path in app.rglob("*.py")
        if path.name != "models.py"
        and not any(part in str(path.relative_to(ROOT)) for part in ROLE_DECIDERS)
        for node in ast.walk(ast.parse(path.read_text()))
        if _names_a_role(node)
    ]
    assert offenders == []


# Statuses that are not workflow moves (no transition map), each with why it is set directly:
# (module, the record or the model whose status it sets).
STATUS_SET_DIRECTLY = {
    ("plans/services/documents.py", "document"): "a PDF's render state, moved by its worker",
    ("plans/services/documents.py", "PlanDocument"): "a PDF's render state, claimed by a worker",
    ("plans/services/documents.py", "unchanged"): "a lost render claimed again by the heal",
    ("plans/services/progress.py", "update"): "a quarter's RAG rating, as reported",
    ("plans/services/progress.py", "action"): "an action's latest RAG rating",
    ("plans/services/progress.py", "PlanAction"): "an action's latest RAG rating",
    ("reviews/services/action_plan.py", "line"): "a recommendation's progress, as reported",
    ("partnerships/services.py", "partnership"): "the platform's register (administrators)",
    ("reminders/outbox.py", "Notification"): "an email's delivery state, claimed by a sender",
}


def _root_name(node: ast.AST) -> str:
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return getattr(node, "id", "")


def _status_targets(node: ast.AST):
    """What an assignment to ``.status``, or an ``.update(status=...)``, sets the status of."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    yield _root_name(element.value)
    elif (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "update"
        and any(keyword.arg == "status" for keyword in node.keywords)
    ):
        yield _root_name(node.func.value)


def test_statuses_change_only_through_transition():
    """A workflow status moves only in ``csp_portal.workflow.transition``, which locks, checks
    the map, saves and audits: a second way to move it is a second set of rules."""
    offenders = [
        f"{relative}:{node.lineno} {name}"
        for app in APPS
        if app.name != "demo"
        for path in app.rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
        if (relative := str(path.relative_to(ROOT))) != "csp_portal/workflow.py"
        for node in ast.walk(ast.parse(path.read_text()))
        for name in _status_targets(node)
        if (relative, name) not in STATUS_SET_DIRECTLY
    ]
    assert offenders == []
