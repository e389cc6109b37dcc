"""ASB case reviews through the API: the yearly figures s104(10) has the relevant bodies publish
(counts only: no application, applicant or case is named). The same selector as the public page."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from partnerships.api import PartnershipAPIMixin
from partnerships.permissions import Perm

from . import selectors
from .policies import CasePolicy


class YearlyFiguresSerializer(serializers.Serializer):
    year_start = serializers.IntegerField(
        help_text="The financial year's first year: 2026 is 1 April 2026 to 31 March 2027"
    )
    applications = serializers.IntegerField()
    met = serializers.IntegerField(help_text="Applications that met the threshold")
    not_met = serializers.IntegerField(help_text="Applications that did not meet it")
    reviews = serializers.IntegerField(help_text="Reviews carried out")
    with_recommendations = serializers.IntegerField(help_text="Reviews that made recommendations")


@extend_schema(
    summary="ASB case reviews: the yearly figures",
    description="For each financial year in which applications were received, newest first: "
    "the figures section 104(10) of the Anti-social Behaviour, Crime and Policing Act 2014 has "
    "the relevant bodies publish. Counts only.",
)
class CaseReviewFiguresAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_CASE_REVIEWS
    serializer_class = YearlyFiguresSerializer
    pagination_class = None  # one row a year

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema asks without a request, for the model behind the path: none of it.
            return CasePolicy.visible(None)
        return selectors.yearly_figures(partnership=self.partnership)
