"""Reads of the register: scoped to the member's partnership by ``AgreementPolicy`` (another
partnership's agreement is not found: 404), each agreement with its parties' names."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from partnerships.models import Membership, PartnerOrganisation

from .models import QuarterlyReturn, ReturnFigure, SharingAgreement
from .policies import AgreementPolicy, ReturnPolicy


def _with_parties(queryset: QuerySet[SharingAgreement]) -> QuerySet[SharingAgreement]:
    return queryset.prefetch_related(
        Prefetch(
            "parties",
            queryset=PartnerOrganisation.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        )
    )


def agreements_of(*, membership: Membership) -> QuerySet[SharingAgreement]:
    """The register, agreements in force first and the soonest review first (two queries)."""
    return _with_parties(AgreementPolicy.visible(membership).defer("purpose", "legal_basis"))


def agreements_in_full_of(*, membership: Membership) -> QuerySet[SharingAgreement]:
    """The register with each agreement's purpose and legal basis, for the API (two queries a
    page)."""
    return _with_parties(AgreementPolicy.visible(membership))


def agreement_for(*, membership: Membership, pk: int) -> SharingAgreement:
    try:
        return _with_parties(AgreementPolicy.visible(membership).select_related("partnership")).get(
            pk=pk
        )
    except SharingAgreement.DoesNotExist:
        raise Http404 from None


def returns_of(*, membership: Membership) -> QuerySet[QuarterlyReturn]:
    """The returns the member sees (all for the coordinators, their organisation's for others),
    newest quarter first, with the organisation's name (one query)."""
    return ReturnPolicy.visible(membership).select_related("organisation__organisation")


def returns_in_full_of(*, membership: Membership) -> QuerySet[QuarterlyReturn]:
    """The returns the member sees with their figures, for the API (two queries a page)."""
    return returns_of(membership=membership).prefetch_related(
        Prefetch("figures", queryset=ReturnFigure.objects.order_by("position"))
    )


def return_for(*, membership: Membership, pk: int) -> QuarterlyReturn:
    try:
        return (
            ReturnPolicy.visible(membership)
            .select_related("partnership", "organisation__organisation")
            .prefetch_related(
                Prefetch("figures", queryset=ReturnFigure.objects.order_by("position"))
            )
            .get(pk=pk)
        )
    except QuarterlyReturn.DoesNotExist:
        raise Http404 from None
