"""Contribution requests through the API: the "Requests to you" list, one request, saving a
draft answer with its figures, and submitting it; and the comments on an assessment in review.
The same selectors and services as the pages."""

import django_filters
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from accounts.authentication import api_partnership_ids
from csp_portal.api import StrictSerializer
from partnerships.api import PartnershipAPIMixin
from partnerships.consultation_api import CommentResponseAPIView, CommentsAPIView
from partnerships.permissions import Perm

from . import forms, selectors
from .models import (
    AssessmentComment,
    ContributionRequest,
    ContributionStatus,
    StrategicAssessment,
)
from .policies import AssessmentPolicy, AssessmentVerb, ContributionPolicy, ContributionVerb
from .services import consultation
from .services import contributions as contribution_services


def _detail_url(request, contribution) -> str:
    return request.build_absolute_uri(
        reverse(
            "api:contribution_request",
            kwargs={
                "partnership_slug": contribution.partnership.slug,
                "contribution_id": contribution.pk,
            },
        )
    )


class ContributionRequestSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    partnership = serializers.CharField(source="partnership.slug")
    partnership_name = serializers.CharField(source="partnership.name")
    assessment_year = serializers.CharField(source="assessment.year_label")
    organisation = serializers.CharField(source="organisation.name")
    late = serializers.BooleanField(source="is_late")

    class Meta:
        model = ContributionRequest
        fields = [
            "id",
            "url",
            "partnership",
            "partnership_name",
            "assessment_year",
            "organisation",
            "title",
            "due_date",
            "status",
            "late",
            "revision",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, contribution) -> str:
        return _detail_url(self.context["request"], contribution)


class FigureSerializer(StrictSerializer):
    label = serializers.CharField(max_length=200)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")


class DocumentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class ContributionDetailSerializer(ContributionRequestSerializer):
    figures = FigureSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    can_answer = serializers.SerializerMethodField()

    class Meta(ContributionRequestSerializer.Meta):
        fields = [
            *ContributionRequestSerializer.Meta.fields,
            "questions",
            "data_requested",
            "answer",
            "figures",
            "documents",
            "return_comment",
            "submitted_at",
            "can_answer",
        ]

    def get_can_answer(self, contribution) -> bool:
        """Whether the caller may change the answer now."""
        return ContributionPolicy.can(
            self.context["view"].membership, ContributionVerb.ANSWER, contribution
        )


class ContributionDraftSerializer(StrictSerializer):
    revision = serializers.IntegerField(
        min_value=1,
        help_text="The revision you read; a draft saved from an older one is refused.",
    )
    answer = serializers.CharField(
        max_length=50_000,
        allow_blank=True,
        trim_whitespace=False,
        style={"base_template": "textarea.html"},
    )
    figures = FigureSerializer(many=True, required=False, max_length=30)


class EmptySerializer(StrictSerializer):
    pass


class ContributionFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        field_name="partnership__slug", help_text="A partnership's slug"
    )
    status = django_filters.ChoiceFilter(choices=ContributionStatus.choices)

    class Meta:
        model = ContributionRequest
        fields = ["partnership", "status"]


@extend_schema(
    summary="Requests to you",
    description="Every contribution request to the organisations you represent, across the "
    "partnerships your token covers (withdrawn requests left out).",
)
class MyContributionRequestsView(generics.ListAPIView):
    serializer_class = ContributionRequestSerializer
    filterset_class = ContributionFilter

    def get_queryset(self):
        return selectors.my_requests(
            user=self.request.user, partnership_ids=api_partnership_ids(self.request)
        )


class ContributionAPIMixin(PartnershipAPIMixin):
    answer_required = False

    def get_object(self):
        contribution = selectors.contribution_for(
            membership=self.membership, contribution_id=self.kwargs["contribution_id"]
        )
        if self.answer_required and not ContributionPolicy.allows(
            self.membership, ContributionVerb.ANSWER, contribution
        ):
            raise Http404
        return contribution

    def detail(self, contribution) -> Response:
        fresh = selectors.contribution_for(
            membership=self.membership, contribution_id=contribution.pk
        )
        return Response(
            ContributionDetailSerializer(fresh, context=self.get_serializer_context()).data
        )


@extend_schema(summary="One contribution request, with its answer, figures and documents")
class ContributionDetailAPIView(ContributionAPIMixin, generics.RetrieveAPIView):
    serializer_class = ContributionDetailSerializer


class ContributionDraftAPIView(ContributionAPIMixin, generics.GenericAPIView):
    permission_required = Perm.ANSWER_CONTRIBUTIONS
    answer_required = True
    serializer_class = ContributionDraftSerializer

    @extend_schema(
        summary="Save a draft answer and its figures",
        description="Replaces the answer and the figures. Send the `revision` you read: if "
        "someone saved since, nothing changes and you are told who.",
        responses={200: ContributionDetailSerializer},
    )
    def put(self, request, *args, **kwargs):
        contribution = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contribution_services.contribution_save(
            acting_user=request.user,
            contribution=contribution,
            revision=data["revision"],
            answer=data["answer"],
            figures=[
                (row["label"], row["value"], row.get("unit", "")) for row in data.get("figures", [])
            ],
        )
        return self.detail(contribution)


class ContributionSubmitAPIView(ContributionAPIMixin, generics.GenericAPIView):
    permission_required = Perm.ANSWER_CONTRIBUTIONS
    answer_required = True
    serializer_class = EmptySerializer

    @extend_schema(
        summary="Submit the contribution",
        description="Hands the saved answer to the coordinator. It cannot change again unless "
        "they return it.",
        responses={200: ContributionDetailSerializer},
    )
    def post(self, request, *args, **kwargs):
        contribution = self.get_object()
        self.get_serializer(data=request.data or {}).is_valid(raise_exception=True)
        contribution_services.contribution_submit(
            acting_user=request.user, contribution=contribution
        )
        return self.detail(contribution)


# Comments in review ---------------------------------------------------------------------------


class AssessmentCommentsMixin:
    permission_required = Perm.VIEW_ASSESSMENT_DRAFTS

    def get_assessment(self) -> StrategicAssessment:
        assessment = selectors.assessment_for(
            membership=self.membership, assessment_id=self.kwargs["assessment_id"]
        )
        if not AssessmentPolicy.allows(self.membership, AssessmentVerb.READ_COMMENTS, assessment):
            raise Http404
        return assessment


@extend_schema(
    summary="An assessment's comments in review",
    description="GET lists the comments on a strategic assessment version you may read, oldest "
    "first, with the coordinator's response to each. POST adds yours while it is in review.",
)
class AssessmentCommentsAPIView(AssessmentCommentsMixin, CommentsAPIView):
    comment_model = AssessmentComment

    def get_document(self):
        return self.get_assessment()

    def comments(self, assessment):
        return selectors.assessment_comments(membership=self.membership, assessment=assessment)

    def parts(self, assessment) -> dict:
        return forms.ReviewCommentForm(
            sections=assessment.sections.all(), priorities=assessment.priorities.all()
        ).parts

    def add(self, assessment, *, part, body, submission):
        return consultation.assessment_comment_add(
            acting_user=self.request.user,
            assessment=assessment,
            body=body,
            part=part,
            submission=submission,
        )


@extend_schema(
    summary="Respond to a comment on an assessment in review",
    description="The coordinator answers, accepts or declines a comment, with words the "
    "commenter reads, until the assessment is approved.",
)
class AssessmentCommentResponseAPIView(AssessmentCommentsMixin, CommentResponseAPIView):
    def get_comment(self):
        assessment = self.get_assessment()
        comment = selectors.assessment_comment_for(
            membership=self.membership,
            assessment=assessment,
            comment_id=self.kwargs["comment_id"],
        )
        comment.assessment = assessment
        return comment

    def respond(self, comment, *, outcome, response, submission):
        return consultation.assessment_comment_respond(
            acting_user=self.request.user,
            comment=comment,
            outcome=outcome,
            response=response,
            submission=submission,
        )
