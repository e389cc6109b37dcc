"""The consultation API every document shares: list the comments the caller may read, add one
while the document takes comments, and the coordinator's response. Each app names its document,
its comments, its form (the parts a comment may be about) and its two services; the policies are
asked by those services, so a refusal here is the page's refusal."""

import contextlib

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from csp_portal.api import StrictSerializer, idempotent_submission
from csp_portal.submissions import IDEMPOTENCY_HEADER, AlreadySubmitted

from .api import PartnershipAPIMixin
from .consultation import COMMENT_MAX_LENGTH, WHOLE_DOCUMENT, CommentStatus

IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Optional, up to 64 visible characters (a UUID will do). A request sent again "
    "with the same key (a retry after a lost answer) changes nothing.",
)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    about = serializers.CharField(help_text="The part commented on, as it was named then")
    body = serializers.CharField()
    author_name = serializers.CharField()
    organisation_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=CommentStatus.choices)
    status_changed_at = serializers.DateTimeField()
    response = serializers.CharField()
    responded_by_name = serializers.CharField()


class CommentInputSerializer(StrictSerializer):
    part = serializers.CharField(
        default=WHOLE_DOCUMENT,
        help_text='What the comment is about: "whole" (the default), or a part of the document '
        'as "<kind>-<id>", such as "section-12" or "priority-3".',
    )
    body = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, style={"base_template": "textarea.html"}
    )

    def validate_part(self, value: str):
        parts = self.context["parts"]
        if value not in parts:
            raise serializers.ValidationError(_("Choose a part of this document"))
        return parts[value]


class ResponseInputSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(
        choices=[(status, label) for status, label in CommentStatus.choices if status != "open"]
    )
    response = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, style={"base_template": "textarea.html"}
    )


class CommentsAPIView(PartnershipAPIMixin, generics.ListCreateAPIView):
    """A document's comments (GET) and a new one (POST). Subclasses define ``comment_model``,
    ``get_document``, ``comments``, ``parts`` and ``add``."""

    # What a POST reads; what every answer shows is a CommentSerializer.
    serializer_class = CommentInputSerializer
    comment_model = None

    def get_document(self):
        raise NotImplementedError

    def comments(self, document):
        raise NotImplementedError

    def parts(self, document) -> dict:
        raise NotImplementedError

    def add(self, document, *, part, body, submission):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks, with no caller
            return self.comment_model.objects.none()
        return self.comments(self.get_document())

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        parameters=[IDEMPOTENCY],
        request=CommentInputSerializer,
        responses={201: CommentSerializer, 200: CommentSerializer},
    )
    def post(self, request, *args, **kwargs):
        document = self.get_document()
        serializer = CommentInputSerializer(
            data=request.data, context={"parts": self.parts(document)}
        )
        serializer.is_valid(raise_exception=True)
        try:
            comment = self.add(
                document,
                part=serializer.validated_data["part"],
                body=serializer.validated_data["body"],
                submission=idempotent_submission(request),
            )
        except AlreadySubmitted:
            # A retry: answered with the caller's latest comment, as it stands.
            comment = self.comments(document).filter(author=request.user).last()
            return Response(CommentSerializer(comment).data, status=status.HTTP_200_OK)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentResponseAPIView(PartnershipAPIMixin, generics.GenericAPIView):
    """The coordinator's answer to one comment. Subclasses define ``get_comment`` and
    ``respond``."""

    serializer_class = ResponseInputSerializer

    def get_comment(self):
        raise NotImplementedError

    def respond(self, comment, *, outcome, response, submission):
        raise NotImplementedError

    @extend_schema(
        parameters=[IDEMPOTENCY],
        request=ResponseInputSerializer,
        responses={200: CommentSerializer},
    )
    def post(self, request, *args, **kwargs):
        comment = self.get_comment()
        serializer = ResponseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with contextlib.suppress(AlreadySubmitted):
            comment = self.respond(
                comment, **serializer.validated_data, submission=idempotent_submission(request)
            )
        comment.refresh_from_db()
        return Response(CommentSerializer(comment).data)
