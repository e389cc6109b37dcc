"""Read paths for partnerships. Every query here is already narrowed to what the user may see."""

from collections.abc import Callable, Collection

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.changes import stamped_body

from .identity import display_name, logo_alt
from .models import Invitation, Membership, PartnerOrganisation, Partnership, Role, Seat


def membership_for(*, user: User, partnership_slug: str) -> Membership:
    """The user's membership of the partnership, or 404: a stranger learns nothing."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related(
            "partnership__police_force_area", "organisation"
        ).get(user=user, partnership__slug=partnership_slug)
    except Membership.DoesNotExist:
        raise Http404 from None


def memberships_of_user(
    *, user: User, partnership_ids: Collection[int] | None = None
) -> QuerySet[Membership]:
    """The user's memberships; only those in ``partnership_ids`` when given (an API token's)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    queryset = Membership.objects.filter(user=user)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset.select_related("partnership", "organisation").order_by("partnership__name")


def partnership_people(*, partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "organisation", "partnership")
        .order_by("user__full_name", "user__email")
    )


def people_by_role(*, partnership: Partnership) -> list[tuple[str, int]]:
    """How many people hold each role, in the order roles are listed; one query."""
    counts = dict(
        Membership.objects.filter(partnership=partnership)
        .values_list("role")
        .annotate(count=Count("pk"))
        .values_list("role", "count")
    )
    return [(role.label, counts.get(role, 0)) for role in Role]


def membership_in_partnership(*, partnership: Partnership, membership_id: int) -> Membership:
    try:
        return partnership_people(partnership=partnership).get(pk=membership_id)
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def partnership_pending_invitations(*, partnership: Partnership) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(partnership=partnership)
        .pending()
        .select_related("organisation", "invited_by")
        .order_by("email")
    )


def invitation_in_partnership(*, partnership: Partnership, invitation_id: int) -> Invitation:
    try:
        return partnership_pending_invitations(partnership=partnership).get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError):
        raise Http404 from None


def partnership_organisations(*, partnership: Partnership) -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.filter(partnership=partnership).select_related(
        "organisation"
    )


def partner_organisation_in_partnership(
    *, partnership: Partnership, partner_organisation_id: int
) -> PartnerOrganisation:
    try:
        return partnership_organisations(partnership=partnership).get(pk=partner_organisation_id)
    except (PartnerOrganisation.DoesNotExist, ValueError):
        raise Http404 from None


def statutory_seats(*, partnership: Partnership) -> list[dict]:
    """The five statutory seats in order, each with its organisations (empty when unfilled)."""
    by_seat: dict[str, list] = {seat: [] for seat in Seat.statutory()}
    for partner in partnership_organisations(partnership=partnership):
        if partner.seat in by_seat:
            by_seat[partner.seat].append(partner)
    return [
        {"seat": seat, "label": seat_label(seat, partnership), "partners": partners}
        for seat, partners in by_seat.items()
    ]


def invited_partners(*, partnership: Partnership) -> QuerySet[PartnerOrganisation]:
    return partnership_organisations(partnership=partnership).filter(seat=Seat.INVITED)


def seat_label(seat: str, partnership: Partnership) -> str:
    if seat == Seat.HEALTH:
        return (
            _("Local health board") if partnership.nation == "wales" else _("Integrated care board")
        )
    return str(Seat(seat).label)


def partnership_home(*, partnership_id: int) -> Partnership:
    return (
        Partnership.objects.select_related("police_force_area", "merged_into")
        .prefetch_related(Prefetch("districts"))
        .get(pk=partnership_id)
    )


def partnership_identity(*, partnership: Partnership) -> dict:
    """What a page shows of the partnership's public identity (no file read)."""
    return {
        "name": display_name(partnership),
        "accent_colour": partnership.accent_colour,
        "has_logo": bool(partnership.logo),
        "logo_alt": logo_alt(partnership) if partnership.logo else "",
    }


def partnership_logo(*, partnership: Partnership):
    """The partnership's stored logo (a FieldFile), or None."""
    return partnership.logo if partnership.logo else None


def person_kept_body(
    *, user: User, name: str, parts: Collection[object], render: Callable[[], str]
) -> SafeString:
    """A person's own list across the partnerships they serve (Requests to you, Your actions),
    kept under those partnerships' change stamps (``csp_portal.changes``) and keyed by the
    person and their memberships (partnership, role, organisation): joining, leaving or changing
    organisation works it out afresh, as any audited change in one of the partnerships does.
    ``parts``: whatever else it depends on (the day, the tab, the page)."""
    served = list(
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values_list("pk", "partnership_id", "role", "organisation_id")
    )
    return stamped_body(
        name=name,
        partnership_ids=[partnership_id for _pk, partnership_id, _role, _org in served],
        parts=[user.pk, ",".join("/".join(map(str, row)) for row in served), *parts],
        render=render,
    )
