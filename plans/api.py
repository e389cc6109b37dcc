"""Plans through the API: the actions the caller's organisation leads ("Your actions"), one
action's progress, posting a quarter's progress with measure actuals, published plans (read
only), and a version's consultation comments. The same selectors and services as the pages."""

import contextlib

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from accounts.authentication import api_partnership_ids
from csp_portal.api import StrictSerializer, idempotent_submission
from csp_portal.submissions import IDEMPOTENCY_HEADER, AlreadySubmitted
from partnerships.api import PartnershipAPIMixin
from partnerships.consultation_api import CommentResponseAPIView, CommentsAPIView
from partnerships.permissions import Perm
from partnerships.selectors import memberships_of_user

from . import deadlines
from . import selectors as plan_selectors
from .forms import consultation as consultation_forms
from .models import (
    ActionStatus,
    GrantStatus,
    PartnershipPlan,
    PlanAction,
    PlanComment,
    Quarter,
)
from .policies import ActionPolicy, ActionVerb, GrantPolicy, PlanPolicy, PlanVerb
from .selectors import consultation as consultation_selectors
from .selectors import grants as grant_selectors
from .selectors import progress as selectors
from .services import consultation
from .services.progress import action_progress_report


def _action_url(request, action) -> str:
    return request.build_absolute_uri(
        reverse(
            "api:action",
            kwargs={"partnership_slug": action.partnership.slug, "action_id": action.pk},
        )
    )


def _plan_url(request, plan) -> str:
    return request.build_absolute_uri(
        reverse(
            "api:published_plan",
            kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk},
        )
    )


def quarter_field() -> serializers.CharField:
    return serializers.RegexField(
        r"^\d{4}-[1-4]$",
        help_text='A quarter as "<financial year>-<1 to 4>": "2026-1" is April to June 2026',
        error_messages={"invalid": 'Give the quarter as "<year>-<1 to 4>", like "2026-1"'},
    )


class DueSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="quarter.code")
    due_on = serializers.DateField()
    days_left = serializers.IntegerField()


class MyActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="action.pk")
    url = serializers.SerializerMethodField()
    partnership = serializers.CharField(source="action.partnership.slug")
    partnership_name = serializers.CharField(source="action.partnership.name")
    priority = serializers.CharField(source="action.priority.get_theme_display")
    description = serializers.CharField(source="action.description")
    lead_organisation = serializers.CharField(source="action.lead_organisation.name")
    start_date = serializers.DateField(source="action.start_date")
    due_date = serializers.DateField(source="action.due_date")
    status = serializers.ChoiceField(source="action.status", choices=ActionStatus.choices)
    current_quarter = serializers.CharField(source="state.quarter.code", allow_null=True)
    submitted_this_quarter = serializers.BooleanField(source="state.submitted")
    update_due = DueSerializer(source="state.due", allow_null=True)
    update_overdue = DueSerializer(source="state.overdue", allow_null=True)

    @extend_schema_field(serializers.URLField())
    def get_url(self, row) -> str:
        return _action_url(self.context["request"], row.action)


class ActualSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="period.code")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_cy = serializers.CharField(help_text="In Welsh; blank for an English partnership")
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    higher_is_better = serializers.BooleanField()


class MeasureWithActualsSerializer(MeasureSerializer):
    actuals = ActualSerializer(many=True, source="actuals.all")


class ProgressUpdateSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="period.code")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    narrative = serializers.CharField()
    revision = serializers.IntegerField(
        help_text="Send it back when you correct this quarter: see posting progress."
    )
    submitted_at = serializers.DateTimeField()


class ActionDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    partnership = serializers.CharField(source="partnership.slug")
    plan = serializers.IntegerField(source="plan.pk")
    plan_in_force = serializers.SerializerMethodField()
    priority = serializers.CharField(source="priority.get_theme_display")
    description = serializers.CharField()
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    measures = MeasureWithActualsSerializer(many=True, source="measures.all")
    progress_updates = ProgressUpdateSerializer(many=True, source="progress_updates.all")
    can_report = serializers.SerializerMethodField()
    reportable_quarters = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, action) -> str:
        return _action_url(self.context["request"], action)

    def get_plan_in_force(self, action) -> bool:
        return deadlines.is_in_force(action.plan)

    def get_can_report(self, action) -> bool:
        """Whether the caller may post progress on this action now."""
        return bool(self.get_reportable_quarters(action))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reportable_quarters(self, action) -> list[str]:
        """The quarters the caller may post progress for (none if they may not report)."""
        if not self.context["may"][ActionVerb.REPORT_PROGRESS]:
            return []
        return [quarter.code for quarter in deadlines.reportable_quarters(plan=action.plan)]


class ActualInputSerializer(StrictSerializer):
    measure = serializers.IntegerField(help_text="The id of one of the action's measures")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)

    def validate_measure(self, value: int) -> int:
        # Only this action's measures: an id from anywhere else is refused like a typo.
        if value not in {measure.pk for measure in self.context["action"].measures.all()}:
            raise serializers.ValidationError(_("Give actuals only for this action's measures"))
        return value


class ProgressInputSerializer(StrictSerializer):
    quarter = quarter_field()
    revision = serializers.IntegerField(
        min_value=0,
        help_text="The revision of the quarter's update you read (0 when it had none); a report "
        "made over a newer one is refused.",
    )
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    narrative = serializers.CharField(max_length=10_000, style={"base_template": "textarea.html"})
    actuals = ActualInputSerializer(many=True, required=False, max_length=100)


class ActionFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        field_name="partnership__slug", help_text="A partnership's slug"
    )
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = PlanAction
        fields = ["partnership", "status"]


@extend_schema(
    summary="Your actions",
    description="The actions your organisations lead in the plans in force of the partnerships "
    "your token covers, with where each stands for this quarter.",
)
class MyActionsView(generics.ListAPIView):
    serializer_class = MyActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.my_actions_queryset(
            user=self.request.user, partnership_ids=api_partnership_ids(self.request)
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = selectors.with_states(page, today=deadlines.local_today())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ActionAPIMixin(PartnershipAPIMixin):
    def get_object(self):
        return selectors.action_for_progress(
            membership=self.membership, action_id=self.kwargs["action_id"]
        )

    def may(self, action) -> dict[str, bool]:
        return ActionPolicy.may(self.membership, action)

    def detail(self, action) -> Response:
        context = {**self.get_serializer_context(), "may": self.may(action)}
        return Response(ActionDetailSerializer(action, context=context).data)


@extend_schema(summary="One action: its measures, their actuals and its progress updates")
class ActionDetailAPIView(ActionAPIMixin, generics.RetrieveAPIView):
    permission_required = Perm.VIEW_PLANS
    serializer_class = ActionDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        return self.detail(self.get_object())


class ActionProgressAPIView(ActionAPIMixin, generics.GenericAPIView):
    permission_required = Perm.REPORT_PLAN_PROGRESS
    serializer_class = ProgressInputSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Optional, up to 64 visible characters (a UUID will do). A request "
                "sent again with the same key (a retry after a lost answer) changes nothing and "
                "is answered with the action as it stands.",
            )
        ],
        summary="Post a quarter's progress",
        description="Records (or corrects) the action's update for one quarter, the status it "
        "has now, and the actual for any of its measures. A measure left out keeps what it had. "
        "Send the quarter's `revision` you read (0 for a quarter not yet reported): if someone "
        "saved the quarter since, nothing changes and you are told who.",
        responses={200: ActionDetailSerializer},
    )
    def post(self, request, *args, **kwargs):
        action = self.get_object()
        if not self.may(action)[ActionVerb.REPORT_PROGRESS]:
            raise Http404
        serializer = ProgressInputSerializer(
            data=request.data, context={**self.get_serializer_context(), "action": action}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # A key already acted on changes nothing, and is answered, like the first, with the action.
        with contextlib.suppress(AlreadySubmitted):
            action_progress_report(
                acting_user=request.user,
                action=action,
                quarter=Quarter.from_code(data["quarter"]),
                narrative=data["narrative"],
                status=data["status"],
                actuals={row["measure"]: row["value"] for row in data.get("actuals", [])},
                revision=data["revision"],
                submission=idempotent_submission(request),
            )
        return self.detail(self.get_object())


# Published plans --------------------------------------------------------------------------------


class PublishedPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    partnership = serializers.CharField(source="partnership.slug")
    partnership_name = serializers.CharField(source="partnership.name")
    period = serializers.CharField(source="period_label")
    period_start = serializers.IntegerField()
    version = serializers.IntegerField()
    approved_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, plan) -> str:
        return _plan_url(self.context["request"], plan)


class PlanSectionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(source="get_kind_display")
    body = serializers.CharField(help_text="Markdown")
    body_cy = serializers.CharField(
        help_text="Markdown, in Welsh; blank for an English partnership"
    )


class PlanActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    description_cy = serializers.CharField(help_text="In Welsh; blank for an English partnership")
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    supporting_organisations = serializers.SerializerMethodField()
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    measures = MeasureSerializer(many=True, source="measures.all")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_supporting_organisations(self, action) -> list[str]:
        return [organisation.name for organisation in action.supporting_organisations.all()]


class PlanPrioritySerializer(serializers.Serializer):
    theme = serializers.CharField()
    title = serializers.CharField(source="get_theme_display")
    rationale = serializers.CharField()
    rationale_cy = serializers.CharField(help_text="In Welsh; blank for an English partnership")
    objectives = serializers.CharField()
    objectives_cy = serializers.CharField(help_text="In Welsh; blank for an English partnership")
    actions = PlanActionSerializer(many=True, source="actions.all")


class PublishedPlanDetailSerializer(PublishedPlanSerializer):
    sections = PlanSectionSerializer(many=True, source="sections.all")
    priorities = PlanPrioritySerializer(many=True, source="priorities.all")


class PlanFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        field_name="partnership__slug", help_text="A partnership's slug"
    )

    class Meta:
        model = PartnershipPlan
        fields = ["partnership"]


@extend_schema(
    summary="Published plans",
    description="The published partnership plan of each partnership your token covers. "
    "Only published versions: never a draft.",
)
class PublishedPlansView(generics.ListAPIView):
    serializer_class = PublishedPlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        memberships = memberships_of_user(
            user=self.request.user, partnership_ids=api_partnership_ids(self.request)
        )
        return plan_selectors.published_plan_list(
            partnership_ids=memberships.values("partnership_id")
        )


@extend_schema(summary="One published plan: its sections, priorities, actions and measures")
class PublishedPlanDetailAPIView(PartnershipAPIMixin, generics.RetrieveAPIView):
    permission_required = Perm.VIEW_PLANS
    serializer_class = PublishedPlanDetailSerializer

    def get_object(self):
        return plan_selectors.published_plan_for(
            membership=self.membership, plan_id=self.kwargs["plan_id"]
        )


# Consultation ---------------------------------------------------------------------------------


class PlanCommentsMixin:
    permission_required = Perm.VIEW_PLAN_CONSULTATION

    def get_plan(self) -> PartnershipPlan:
        plan = plan_selectors.plan_for(membership=self.membership, plan_id=self.kwargs["plan_id"])
        # A version never consulted on has no log to show.
        if not PlanPolicy.can(self.membership, PlanVerb.READ_COMMENTS, plan):
            raise Http404
        return plan


@extend_schema(
    summary="A plan's consultation comments",
    description="GET lists the comments on a plan version you may read, oldest first, with the "
    "coordinator's response to each. POST adds yours while the version is open for comments.",
)
class PlanCommentsAPIView(PlanCommentsMixin, CommentsAPIView):
    comment_model = PlanComment

    def get_document(self):
        return self.get_plan()

    def comments(self, plan):
        return consultation_selectors.plan_comments(membership=self.membership, plan=plan)

    def parts(self, plan) -> dict:
        return consultation_forms.CommentForm(
            plan=plan, **consultation_selectors.comment_parts(plan=plan)
        ).parts

    def add(self, plan, *, part, body, submission):
        return consultation.plan_comment_add(
            acting_user=self.request.user, plan=plan, body=body, part=part, submission=submission
        )


@extend_schema(
    summary="Respond to a plan consultation comment",
    description="The coordinator answers, accepts or declines a comment, with words the "
    "commenter reads, while the version can still change.",
)
class PlanCommentResponseAPIView(PlanCommentsMixin, CommentResponseAPIView):
    def get_comment(self):
        plan = self.get_plan()
        comment = consultation_selectors.comment_for(
            membership=self.membership, plan=plan, comment_id=self.kwargs["comment_id"]
        )
        comment.plan = plan
        return comment

    def respond(self, comment, *, outcome, response, submission):
        return consultation.plan_comment_respond(
            acting_user=self.request.user,
            comment=comment,
            outcome=outcome,
            response=response,
            submission=submission,
        )


# Community safety grants ----------------------------------------------------------------------


class GrantSpendSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="period.code")
    amount_spent = serializers.DecimalField(max_digits=12, decimal_places=2)
    outcome = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="grant.pk")
    title = serializers.CharField(source="grant.title")
    local_policing_body = serializers.CharField(source="body.title")
    offered_by = serializers.CharField(source="grant.offered_by.name")
    offered_on = serializers.DateField(source="grant.offered_on")
    amount = serializers.DecimalField(source="grant.amount", max_digits=12, decimal_places=2)
    first_year = serializers.IntegerField(source="grant.first_year")
    last_year = serializers.IntegerField(source="grant.last_year")
    conditions = serializers.CharField(source="grant.conditions")
    status = serializers.ChoiceField(source="grant.status", choices=GrantStatus.choices)
    ended_on = serializers.DateField(source="grant.ended_on", allow_null=True)
    plan = serializers.IntegerField(source="grant.plan_id")
    actions = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    late_returns = serializers.SerializerMethodField()
    returns = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_actions(self, row) -> list[int]:
        return [action.pk for action in row.grant.actions.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_measures(self, row) -> list[int]:
        return [measure.pk for measure in row.grant.measures.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_late_returns(self, row) -> list[str]:
        return [quarter.code for quarter in row.standing.late]

    @extend_schema_field(GrantSpendSerializer(many=True))
    def get_returns(self, row) -> list[dict]:
        return GrantSpendSerializer(list(row.standing.returns.values()), many=True).data


@extend_schema(summary="The partnership's community safety grants, with their spend")
class GrantsAPIView(PartnershipAPIMixin, generics.ListAPIView):
    permission_required = Perm.VIEW_GRANTS
    serializer_class = GrantSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a request
            return GrantPolicy.visible(None)
        return grant_selectors.grants_visible(self.membership)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = grant_selectors.grant_rows(page, today=deadlines.local_today())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(summary="One community safety grant, with its quarterly spend returns")
class GrantDetailAPIView(PartnershipAPIMixin, generics.RetrieveAPIView):
    permission_required = Perm.VIEW_GRANTS
    serializer_class = GrantSerializer

    def get_object(self):
        return grant_selectors.grant_for(
            membership=self.membership, safety_grant_id=self.kwargs["safety_grant_id"]
        )
