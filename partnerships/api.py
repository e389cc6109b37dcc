"""The partnership API: the same selectors and tenancy as the pages, as JSON under /api/v1/."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.authentication import api_partnership_ids

from .models import Membership
from .permissions import Perm, membership_can
from .selectors import membership_for, memberships_of_user, partnership_people


class PartnershipAPIMixin:
    """Resolves ``partnership_slug`` to the caller's membership after DRF has authenticated them.

    A non-member, a member whose role lacks ``permission_required``, and a token that was not
    made for this partnership all get 404.
    """

    permission_required: Perm = Perm.VIEW_PARTNERSHIP

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_for(
            user=request.user, partnership_slug=kwargs["partnership_slug"]
        )
        if not membership_can(self.membership, self.permission_required):
            raise Http404
        covered = api_partnership_ids(request)
        if covered is not None and self.membership.partnership_id not in covered:
            raise Http404
        self.partnership = self.membership.partnership


class MyMembershipSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.name")
    slug = serializers.CharField(source="partnership.slug")
    ons_code = serializers.CharField(source="partnership.ons_code")
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Membership
        fields = ["partnership", "slug", "ons_code", "role", "organisation"]


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Membership
        fields = ["id", "full_name", "email", "role", "organisation"]


@extend_schema(summary="The partnerships you belong to, with your role in each")
class MyPartnershipsView(generics.ListAPIView):
    serializer_class = MyMembershipSerializer

    def get_queryset(self):
        return memberships_of_user(
            user=self.request.user, partnership_ids=api_partnership_ids(self.request)
        )


@extend_schema(summary="The people of a partnership and their roles")
class PeopleAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_PEOPLE
    serializer_class = PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a request
            return partnership_people(partnership=None)
        return partnership_people(partnership=self.partnership)
