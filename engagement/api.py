"""Community engagement through the API, read only: the partnership's public meetings and
consultations, what was raised at each, and which responsible authorities' seats attended
(the seats, not the people)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from partnerships.api import PartnershipAPIMixin
from partnerships.permissions import Perm

from . import selectors
from .models import EngagementEvent, EventKind, EventStatus


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    status = serializers.ChoiceField(choices=EventStatus.choices)
    seats_attended = serializers.SerializerMethodField()

    class Meta:
        model = EngagementEvent
        fields = [
            "id",
            "kind",
            "title",
            "planned_on",
            "venue",
            "notice",
            "status",
            "held_on",
            "people_attended",
            "raised",
            "seats_attended",
            "published_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_seats_attended(self, event) -> list[str]:
        """The statutory seats a senior person attended for (reads the prefetched rows)."""
        return [row.seat for row in event.attendance.all()]


@extend_schema(summary="The partnership's public meetings and consultations")
class EventsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_ENGAGEMENT
    serializer_class = EventSerializer

    def get_queryset(self):
        # The schema asks without a request: no membership, and the policy shows nothing.
        return selectors.events_in_full_of(membership=getattr(self, "membership", None))
