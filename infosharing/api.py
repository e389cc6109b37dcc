"""Information sharing through the API, read only: the register of information sharing
agreements, and the quarterly returns of depersonalised information (Crime and Disorder Act 1998
s17A) with their figures, as far as the member's policy shows them."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from partnerships.api import PartnershipAPIMixin
from partnerships.permissions import Perm

from . import selectors
from .models import AgreementStatus, QuarterlyReturn, ReturnFigure, ReturnStatus, SharingAgreement


class AgreementSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    parties = serializers.SerializerMethodField()

    class Meta:
        model = SharingAgreement
        fields = [
            "id",
            "title",
            "parties",
            "purpose",
            "legal_basis",
            "signed_on",
            "review_due",
            "last_reviewed_on",
            "status",
            "ended_on",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parties(self, agreement) -> list[str]:
        return [party.organisation.name for party in agreement.parties.all()]


class ReturnFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnFigure
        fields = ["label", "value", "unit"]


class ReturnSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.organisation.name")
    seat = serializers.CharField(source="organisation.seat")
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    figures = ReturnFigureSerializer(many=True, source="figures.all")

    class Meta:
        model = QuarterlyReturn
        fields = [
            "id",
            "organisation",
            "seat",
            "year_start",
            "quarter",
            "due_date",
            "status",
            "submitted_at",
            "figures",
        ]


@extend_schema(summary="The register of information sharing agreements")
class AgreementsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_INFORMATION_SHARING
    serializer_class = AgreementSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.agreements_in_full_of(membership=getattr(self, "membership", None))


@extend_schema(summary="The quarterly returns of depersonalised information, with their figures")
class ReturnsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_INFORMATION_SHARING
    serializer_class = ReturnSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.returns_in_full_of(membership=getattr(self, "membership", None))
