"""The crime and disorder committee's work through the API, read only: its information requests
with the partnership's (depersonalised) answers, and its recommendations with the responsible
authorities' responses. Scoped by each record's policy, as the pages are."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from partnerships.api import PartnershipAPIMixin
from partnerships.permissions import Perm

from . import selectors
from .models import InformationRequest, InformationRequestStatus, Recommendation
from .models import RecommendationStatus as RS


class InformationRequestSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=InformationRequestStatus.choices)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "title",
            "question",
            "due_date",
            "status",
            "requested_by_name",
            "answer",
            "answered_by_name",
            "answered_at",
            "created_at",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="report_id")
    report_title = serializers.CharField(source="report.title")
    report_made_on = serializers.DateField(source="report.made_on")
    response_due = serializers.DateField(source="report.response_due")
    status = serializers.ChoiceField(choices=RS.choices)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "report",
            "report_title",
            "report_made_on",
            "response_due",
            "number",
            "text",
            "status",
            "response",
            "responded_by_name",
        ]


@extend_schema(summary="The committee's information requests, with the answers")
class InformationRequestsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_SCRUTINY
    serializer_class = InformationRequestSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.information_requests_in_full_of(
            membership=getattr(self, "membership", None)
        )


@extend_schema(summary="The committee's recommendations, with the responses")
class RecommendationsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_SCRUTINY
    serializer_class = RecommendationSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.recommendations_of(membership=getattr(self, "membership", None))
