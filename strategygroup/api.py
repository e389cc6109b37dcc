"""The strategy group's meetings through the API, read only: each meeting with the seats that
attended, its decisions and actions arising (with the plan action each concerns and the plan
version it signed off), and its minutes where the policy lets the caller read them."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from partnerships.api import PartnershipAPIMixin
from partnerships.permissions import Perm

from . import selectors
from .models import Decision, MeetingStatus, StrategyMeeting
from .policies import MeetingPolicy
from .policies import MeetingVerb as V


class DecisionSerializer(serializers.ModelSerializer):
    plan_action = serializers.IntegerField(source="plan_action_id", allow_null=True)
    signed_off_plan = serializers.IntegerField(source="signed_off_plan_id", allow_null=True)

    class Meta:
        model = Decision
        fields = ["number", "text", "owner", "plan_action", "signed_off_plan"]


class MeetingSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    seats_attended = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, source="decisions.all")
    minutes = serializers.SerializerMethodField()

    class Meta:
        model = StrategyMeeting
        fields = [
            "id",
            "title",
            "meets_on",
            "agenda",
            "status",
            "seats_attended",
            "decisions",
            "minutes",
            "minutes_published_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_seats_attended(self, meeting) -> list[str]:
        return [row.seat for row in meeting.attendance.all()]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, meeting) -> str | None:
        """The minutes once published (before that, for the coordinators only); else null."""
        if not MeetingPolicy.can(self.context["membership"], V.READ_MINUTES, meeting):
            return None
        return meeting.minutes


@extend_schema(summary="The strategy group's meetings, with their decisions")
class MeetingsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_STRATEGY_MEETINGS
    serializer_class = MeetingSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.meetings_in_full_of(membership=getattr(self, "membership", None))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": getattr(self, "membership", None)}
