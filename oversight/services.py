"""Every change a PCC office, or a partnership answering it, makes: one function per intent.

Each takes the acting user's membership of the partnership the page is about and re-asserts
what it allows: a view forgetting a check still changes nothing.
"""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import Nation
from csp_portal import uploads
from csp_portal.submissions import Submission, submission_claim
from partnerships.models import Membership, Partnership, PartnershipStatus, Role
from partnerships.permissions import Perm, membership_can
from plans.models import PoliceAndCrimePlanPriority

from .models import (
    NOTE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    REPORT_REQUEST_TRANSITIONS,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CombinationApproval,
    EntryKind,
    ReportDocument,
    ReportRequest,
    ReportRequestEntry,
    ReportRequestStatus,
)

# A report is asked for within a year; anything later is a typing mistake.
LONGEST_NOTICE = timedelta(days=366)
DOCUMENTS_PER_ANSWER = 10


def _require(acting_user: User, membership: Membership, perm: Perm) -> None:
    if membership.user_id != acting_user.pk or not membership_can(membership, perm):
        raise PermissionDenied


def _text(value: str, *, field: str, required_message: str, max_length: int, errors: dict):
    value = (value or "").strip()
    if not value and required_message:
        errors[field] = required_message
    elif len(value) > max_length:
        errors[field] = _("%(field)s must be %(count)s characters or fewer") % {
            "field": _field_name(field),
            "count": f"{max_length:,}",
        }
    return value


def _field_name(field: str) -> str:
    return {
        "title": _("The issue of concern"),
        "description": _("The description"),
        "body": _("The text"),
        "reference": _("The decision reference"),
        "note": _("The note"),
    }.get(field, _("The text"))


# Police and crime plan priorities --------------------------------------------------------------


def _locked_priority(membership: Membership, priority: PoliceAndCrimePlanPriority):
    locked = (
        PoliceAndCrimePlanPriority.objects.select_for_update()
        .filter(pk=priority.pk, police_force_area_id=membership.partnership.police_force_area_id)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _title_taken(membership: Membership, title: str, exclude: int | None = None) -> bool:
    clash = PoliceAndCrimePlanPriority.objects.filter(
        police_force_area_id=membership.partnership.police_force_area_id, title__iexact=title
    )
    if exclude:
        clash = clash.exclude(pk=exclude)
    return clash.exists()


def _priority_fields(membership, title, description, exclude=None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    title = _text(
        title,
        field="title",
        required_message=_("Enter the priority's title"),
        max_length=200,
        errors=errors,
    )
    description = _text(
        description, field="description", required_message="", max_length=2_000, errors=errors
    )
    if title and "title" not in errors and _title_taken(membership, title, exclude):
        errors["title"] = _("The police and crime plan already has a priority with this title")
    if errors:
        raise ValidationError(errors)
    return title, description


@transaction.atomic
def pcc_priority_add(
    *,
    acting_user: User,
    membership: Membership,
    title: str,
    description: str = "",
    submission: Submission | None = None,
) -> PoliceAndCrimePlanPriority:
    submission_claim(submission)
    _require(acting_user, membership, Perm.MANAGE_PCC_PRIORITIES)
    title, description = _priority_fields(membership, title, description)
    area_id = membership.partnership.police_force_area_id
    last = PoliceAndCrimePlanPriority.objects.filter(police_force_area_id=area_id).aggregate(
        last=Max("position")
    )["last"]
    priority = PoliceAndCrimePlanPriority(
        police_force_area_id=area_id,
        title=title,
        description=description,
        position=(last or 0) + 1,
    )
    priority.full_clean()
    priority.save()
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.add",
        target=priority,
        changes={"title": [None, title]},
    )
    return priority


@transaction.atomic
def pcc_priority_update(
    *,
    acting_user: User,
    membership: Membership,
    priority: PoliceAndCrimePlanPriority,
    title: str,
    description: str = "",
) -> PoliceAndCrimePlanPriority:
    _require(acting_user, membership, Perm.MANAGE_PCC_PRIORITIES)
    priority = _locked_priority(membership, priority)
    title, description = _priority_fields(membership, title, description, exclude=priority.pk)
    before = {"title": priority.title, "description": priority.description}
    priority.title, priority.description = title, description
    priority.full_clean()
    priority.save(update_fields=["title", "description"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.update",
        target=priority,
        changes={
            key: [before[key], getattr(priority, key)]
            for key in before
            if before[key] != getattr(priority, key)
        },
    )
    return priority


@transaction.atomic
def pcc_priority_retire(
    *, acting_user: User, membership: Membership, priority: PoliceAndCrimePlanPriority
) -> PoliceAndCrimePlanPriority:
    """Retire a priority: plans that serve it keep showing it, new mappings cannot choose it."""
    _require(acting_user, membership, Perm.MANAGE_PCC_PRIORITIES)
    priority = _locked_priority(membership, priority)
    if priority.retired_at is not None:
        raise ValidationError(_("This priority has already been retired."))
    priority.retired_at = timezone.now()
    priority.save(update_fields=["retired_at"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.retire",
        target=priority,
        changes={"retired_at": [None, priority.retired_at.isoformat()]},
    )
    return priority


@transaction.atomic
def pcc_priority_move(
    *,
    acting_user: User,
    membership: Membership,
    priority: PoliceAndCrimePlanPriority,
    direction: str,
) -> list[PoliceAndCrimePlanPriority]:
    """Move a priority one place up or down among its force area's priorities; returns them
    in their new order."""
    _require(acting_user, membership, Perm.MANAGE_PCC_PRIORITIES)
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the priority up or down"))
    ordered = list(
        PoliceAndCrimePlanPriority.objects.select_for_update()
        .filter(police_force_area_id=membership.partnership.police_force_area_id)
        .order_by("position", "pk")
    )
    index = next((i for i, item in enumerate(ordered) if item.pk == priority.pk), None)
    if index is None:
        raise PermissionDenied
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    PoliceAndCrimePlanPriority.objects.bulk_update(ordered, ["position"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.move",
        target=ordered[other] if 0 <= other < len(ordered) else ordered[index],
        changes={"order": [None, [item.title for item in ordered]]},
    )
    return ordered


# Report requests -------------------------------------------------------------------------------


def _entry(report_request, kind, acting_user, membership, body="", due_date=None):
    entry = ReportRequestEntry(
        report_request=report_request,
        kind=kind,
        body=body,
        due_date=due_date,
        author=acting_user,
        author_name=acting_user.full_name or acting_user.email,
        author_organisation=membership.organisation.name,
    )
    entry.full_clean()
    entry.save()
    return entry


def _checked_due_date(due_date: date | None, errors: dict) -> None:
    today = timezone.localdate()
    if due_date is None:
        errors["due_date"] = _("Enter the due date")
    elif due_date <= today:
        errors["due_date"] = _("The due date must be in the future")
    elif due_date > today + LONGEST_NOTICE:
        errors["due_date"] = _("The due date must be within a year from today")


def _locked_request(membership: Membership, report_request: ReportRequest) -> ReportRequest:
    locked = (
        ReportRequest.objects.select_for_update()
        .filter(pk=report_request.pk, partnership_id=membership.partnership_id)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _move(report_request: ReportRequest, to: str) -> str:
    if to not in REPORT_REQUEST_TRANSITIONS[report_request.status]:
        raise ValidationError(
            _("This request is %(status)s, so that cannot be done now.")
            % {"status": report_request.get_status_display().lower()}
        )
    before = report_request.status
    report_request.status = to
    report_request.status_changed_at = timezone.now()
    return before


def _notify(report_request: ReportRequest) -> int:
    """Tell whoever the request now waits for: the coordinators of a request, the PCC office
    that asked of an answer."""
    from reminders.services import notifications_announce

    from .deadlines import report_answer_items, report_request_items

    items = (
        report_answer_items
        if report_request.status == ReportRequestStatus.ANSWERED
        else report_request_items
    )
    return notifications_announce(items=items(ReportRequest.objects.filter(pk=report_request.pk)))


def report_request_create(
    *,
    acting_user: User,
    membership: Membership,
    title: str,
    body: str,
    due_date: date | None,
    submission: Submission | None = None,
) -> ReportRequest:
    """Formally ask the partnership for a report; its coordinators are told at once and
    reminded before the due date."""
    _require(acting_user, membership, Perm.REQUEST_REPORTS)
    errors: dict[str, str] = {}
    title = _text(
        title,
        field="title",
        required_message=_("Enter the issue of concern"),
        max_length=TITLE_MAX_LENGTH,
        errors=errors,
    )
    body = _text(
        body,
        field="body",
        required_message=_("Say what the report should cover"),
        max_length=TEXT_MAX_LENGTH,
        errors=errors,
    )
    _checked_due_date(due_date, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        submission_claim(submission)
        report_request = ReportRequest(
            partnership=membership.partnership,
            title=title,
            due_date=due_date,
            requested_by=acting_user,
            requesting_organisation=membership.organisation,
        )
        report_request.full_clean()
        report_request.save()
        _entry(report_request, EntryKind.REQUEST, acting_user, membership, body, due_date)
        audit_record(
            acting_user=acting_user,
            partnership=membership.partnership,
            action="report_request.create",
            target=report_request,
            changes={"title": [None, title], "due_date": [None, due_date]},
        )
        _notify(report_request)
    return report_request


def report_request_answer(
    *,
    acting_user: User,
    membership: Membership,
    report_request: ReportRequest,
    body: str,
    files: Iterable[UploadedFile] = (),
    submission: Submission | None = None,
) -> ReportRequestEntry:
    """The partnership's answer: text, and any documents (type- and size-checked)."""
    _require(acting_user, membership, Perm.ANSWER_REPORT_REQUESTS)
    files = list(files)
    errors: dict[str, str] = {}
    body = _text(
        body,
        field="body",
        required_message=_("Enter your answer"),
        max_length=TEXT_MAX_LENGTH,
        errors=errors,
    )
    if len(files) > DOCUMENTS_PER_ANSWER:
        errors["file"] = _("Attach at most %(count)s documents") % {"count": DOCUMENTS_PER_ANSWER}
    content_types = []
    for upload in files:
        try:
            content_types.append(uploads.checked_content_type(upload))
        except ValidationError as error:
            errors.setdefault("file", error.message_dict["file"][0])
    if errors:
        raise ValidationError(errors)
    stored = []
    try:
        with transaction.atomic():
            submission_claim(submission)
            report_request = _locked_request(membership, report_request)
            before = _move(report_request, ReportRequestStatus.ANSWERED)
            report_request.save(update_fields=["status", "status_changed_at"])
            entry = _entry(report_request, EntryKind.ANSWER, acting_user, membership, body)
            for upload, content_type in zip(files, content_types, strict=True):
                document = ReportDocument(
                    entry=entry,
                    token=secrets.token_hex(16),
                    original_name=uploads.display_name(upload.name),
                    content_type=content_type,
                    size=upload.size,
                )
                document.file.save(document.token, upload, save=False)
                stored.append(document.file)
                document.save()
            audit_record(
                acting_user=acting_user,
                partnership=membership.partnership,
                action="report_request.answer",
                target=report_request,
                changes={
                    "status": [before, report_request.status],
                    "documents": [None, [uploads.display_name(f.name) for f in files]],
                },
            )
            _notify(report_request)
    except Exception:
        for file in stored:  # nothing changed: no file outlives a rolled-back answer
            file.delete(save=False)
        raise
    return entry


def report_request_ask_more(
    *,
    acting_user: User,
    membership: Membership,
    report_request: ReportRequest,
    body: str,
    due_date: date | None,
    submission: Submission | None = None,
) -> ReportRequest:
    """Ask for more on an answered (or closed) request: it is reopened with a new due date."""
    _require(acting_user, membership, Perm.REQUEST_REPORTS)
    errors: dict[str, str] = {}
    body = _text(
        body,
        field="body",
        required_message=_("Say what more you need"),
        max_length=TEXT_MAX_LENGTH,
        errors=errors,
    )
    _checked_due_date(due_date, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        submission_claim(submission)
        report_request = _locked_request(membership, report_request)
        before = _move(report_request, ReportRequestStatus.REQUESTED)
        report_request.due_date = due_date
        report_request.round += 1
        report_request.save(update_fields=["status", "status_changed_at", "due_date", "round"])
        _entry(report_request, EntryKind.MORE, acting_user, membership, body, due_date)
        audit_record(
            acting_user=acting_user,
            partnership=membership.partnership,
            action="report_request.more",
            target=report_request,
            changes={"status": [before, report_request.status], "due_date": [None, due_date]},
        )
        _notify(report_request)
    return report_request


def _finish(acting_user, membership, report_request, *, to, kind, action, note):
    _require(acting_user, membership, Perm.REQUEST_REPORTS)
    errors: dict[str, str] = {}
    note = _text(note, field="note", required_message="", max_length=NOTE_MAX_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report_request = _locked_request(membership, report_request)
        before = _move(report_request, to)
        report_request.save(update_fields=["status", "status_changed_at"])
        _entry(report_request, kind, acting_user, membership, note)
        audit_record(
            acting_user=acting_user,
            partnership=membership.partnership,
            action=action,
            target=report_request,
            changes={"status": [before, report_request.status]},
        )
    return report_request


def report_request_close(
    *, acting_user: User, membership: Membership, report_request: ReportRequest, note: str = ""
) -> ReportRequest:
    """The PCC is satisfied with the answer."""
    return _finish(
        acting_user,
        membership,
        report_request,
        to=ReportRequestStatus.CLOSED,
        kind=EntryKind.CLOSE,
        action="report_request.close",
        note=note,
    )


def report_request_withdraw(
    *, acting_user: User, membership: Membership, report_request: ReportRequest, note: str = ""
) -> ReportRequest:
    """The PCC no longer needs the report; its reminders stop."""
    return _finish(
        acting_user,
        membership,
        report_request,
        to=ReportRequestStatus.WITHDRAWN,
        kind=EntryKind.WITHDRAW,
        action="report_request.withdraw",
        note=note,
    )


# Combinations ----------------------------------------------------------------------------------


@transaction.atomic
def combination_approval_record(
    *,
    acting_user: User,
    membership: Membership,
    partnerships: Iterable[Partnership],
    approved_on: date | None,
    reference: str,
    note: str = "",
    submission: Submission | None = None,
) -> CombinationApproval:
    """Record the PCC's approval of combining two or more English partnerships of their force
    area. Welsh partnerships, partnerships of another force area or where this person holds no
    PCC-office membership, and partnerships already merged are refused."""
    submission_claim(submission)
    _require(acting_user, membership, Perm.APPROVE_COMBINATIONS)
    errors: dict[str, str] = {}
    chosen = {partnership.pk for partnership in partnerships}
    locked = list(Partnership.objects.select_for_update().filter(pk__in=chosen).order_by("name"))
    area_id = membership.partnership.police_force_area_id
    served = set(
        Membership.objects.filter(
            user=acting_user, role=Role.PCC_OFFICE, partnership_id__in=chosen
        ).values_list("partnership_id", flat=True)
    )
    if len(chosen) < 2:
        errors["partnerships"] = _("Select at least two partnerships to combine")
    elif len(locked) != len(chosen) or any(
        p.police_force_area_id != area_id or p.pk not in served for p in locked
    ):
        errors["partnerships"] = _("Select partnerships of your police force area")
    elif any(p.nation != Nation.ENGLAND for p in locked):
        errors["partnerships"] = _(
            "Only partnerships in England are combined with the PCC's approval"
        )
    elif any(p.status != PartnershipStatus.ACTIVE for p in locked):
        errors["partnerships"] = _("%(name)s has already merged into another partnership") % {
            "name": next(p.name for p in locked if p.status != PartnershipStatus.ACTIVE)
        }
    if approved_on is None:
        errors["approved_on"] = _("Enter the date of approval")
    elif approved_on > timezone.localdate():
        errors["approved_on"] = _("The date of approval must be today or in the past")
    reference = _text(
        reference,
        field="reference",
        required_message=_("Enter the decision reference"),
        max_length=REFERENCE_MAX_LENGTH,
        errors=errors,
    )
    note = _text(note, field="note", required_message="", max_length=NOTE_MAX_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    approval = CombinationApproval(
        police_force_area_id=area_id,
        approved_on=approved_on,
        reference=reference,
        note=note,
        recorded_by=acting_user,
        approving_organisation=membership.organisation,
    )
    approval.full_clean()
    approval.save()
    approval.partnerships.set(locked)
    for partnership in locked:
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="combination.approve",
            target=approval,
            changes={
                "partnerships": [None, [p.name for p in locked]],
                "approved_on": [None, approved_on],
                "reference": [None, reference],
            },
        )
    return approval
