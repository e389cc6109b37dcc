"""Read paths for national reference data: who held a police force area's police and crime
commissioner functions on a given day."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext

from .models import LocalPolicingBody, LocalPolicingBodyKind


def _unrecorded() -> LocalPolicingBody:
    """What a page says where no body is recorded for the day: the general words."""
    return LocalPolicingBody(
        kind=LocalPolicingBodyKind.PCC,
        title=gettext("police and crime commissioner"),
        office=gettext("Police and crime commissioner's office"),
    )


def _held_on(day: date) -> Q:
    return Q(functions_from__lte=day) & (
        Q(functions_until__isnull=True) | Q(functions_until__gte=day)
    )


def local_policing_body_on(*, police_force_area_id: int, day: date) -> LocalPolicingBody:
    """The body that held the area's functions on ``day`` (one query)."""
    found = LocalPolicingBody.objects.filter(
        _held_on(day), police_force_area_id=police_force_area_id
    )
    return found.first() or _unrecorded()


class PolicingBodies:
    """The bodies of some force areas over time, read in one query, for pages that show many
    dates (report requests, approvals) or many areas."""

    def __init__(self, police_force_area_ids: Iterable[int]):
        self._by_area: dict[int, list[LocalPolicingBody]] = defaultdict(list)
        for body in LocalPolicingBody.objects.filter(
            police_force_area_id__in=set(police_force_area_ids)
        ).order_by("functions_from"):
            self._by_area[body.police_force_area_id].append(body)

    def on(self, police_force_area_id: int, day: date) -> LocalPolicingBody:
        for body in self._by_area.get(police_force_area_id, ()):
            if body.held_on(day):
                return body
        return _unrecorded()
