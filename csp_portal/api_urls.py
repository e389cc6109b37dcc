"""Every route of the API, version 1. Each app's serializers and views are in its ``api.py``."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from assessments import api as assessments_api
from casereviews import api as casereviews_api
from csp_portal.api_reference import api_reference
from engagement import api as engagement_api
from infosharing import api as infosharing_api
from partnerships import api as partnerships_api
from plans import api as plans_api
from scrutiny import api as scrutiny_api
from strategygroup import api as strategygroup_api

app_name = "api"

# Redoc (templates/drf_spectacular/redoc.html) is handed the nonce only once its bundle has run, so
# the two stylesheets the bundle injects as it loads are allowed by their hashes (a new Redoc shows
# its new ones in tests/browser/test_security_policy.py). Its search index runs in a worker made
# from its own code (blob:), and its attribution shows Redocly's logo from Redocly's server.
REDOC_POLICY = {
    "style-src": [
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    ],
    "worker-src": [SELF, "blob:"],
    "img-src": ["https://cdn.redoc.ly"],
}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("reference/", api_reference, name="reference"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        csp_update(REDOC_POLICY)(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    path("partnerships/", partnerships_api.MyPartnershipsView.as_view(), name="my_partnerships"),
    path(
        "p/<slug:partnership_slug>/people/",
        partnerships_api.PeopleAPIView.as_view(),
        name="people",
    ),
    path(
        "contribution-requests/",
        assessments_api.MyContributionRequestsView.as_view(),
        name="contribution_requests",
    ),
    path(
        "p/<slug:partnership_slug>/contribution-requests/<int:contribution_id>/",
        assessments_api.ContributionDetailAPIView.as_view(),
        name="contribution_request",
    ),
    path(
        "p/<slug:partnership_slug>/contribution-requests/<int:contribution_id>/draft/",
        assessments_api.ContributionDraftAPIView.as_view(),
        name="contribution_draft",
    ),
    path(
        "p/<slug:partnership_slug>/contribution-requests/<int:contribution_id>/submit/",
        assessments_api.ContributionSubmitAPIView.as_view(),
        name="contribution_submit",
    ),
    path("actions/", plans_api.MyActionsView.as_view(), name="actions"),
    path(
        "p/<slug:partnership_slug>/actions/<int:action_id>/",
        plans_api.ActionDetailAPIView.as_view(),
        name="action",
    ),
    path(
        "p/<slug:partnership_slug>/actions/<int:action_id>/progress/",
        plans_api.ActionProgressAPIView.as_view(),
        name="action_progress",
    ),
    path(
        "p/<slug:partnership_slug>/assessments/<int:assessment_id>/comments/",
        assessments_api.AssessmentCommentsAPIView.as_view(),
        name="assessment_comments",
    ),
    path(
        "p/<slug:partnership_slug>/assessments/<int:assessment_id>/comments/<int:comment_id>/"
        "response/",
        assessments_api.AssessmentCommentResponseAPIView.as_view(),
        name="assessment_comment_response",
    ),
    path(
        "p/<slug:partnership_slug>/plans/<int:plan_id>/comments/",
        plans_api.PlanCommentsAPIView.as_view(),
        name="plan_comments",
    ),
    path(
        "p/<slug:partnership_slug>/plans/<int:plan_id>/comments/<int:comment_id>/response/",
        plans_api.PlanCommentResponseAPIView.as_view(),
        name="plan_comment_response",
    ),
    path("plans/", plans_api.PublishedPlansView.as_view(), name="published_plans"),
    path(
        "p/<slug:partnership_slug>/plans/<int:plan_id>/",
        plans_api.PublishedPlanDetailAPIView.as_view(),
        name="published_plan",
    ),
    # The statutory year (issue 20): read only.
    path(
        "p/<slug:partnership_slug>/case-reviews/figures/",
        casereviews_api.CaseReviewFiguresAPIView.as_view(),
        name="case_review_figures",
    ),
    path(
        "p/<slug:partnership_slug>/scrutiny/information-requests/",
        scrutiny_api.InformationRequestsAPIView.as_view(),
        name="scrutiny_information_requests",
    ),
    path(
        "p/<slug:partnership_slug>/scrutiny/recommendations/",
        scrutiny_api.RecommendationsAPIView.as_view(),
        name="scrutiny_recommendations",
    ),
    path(
        "p/<slug:partnership_slug>/engagement/events/",
        engagement_api.EventsAPIView.as_view(),
        name="engagement_events",
    ),
    path(
        "p/<slug:partnership_slug>/information-sharing/agreements/",
        infosharing_api.AgreementsAPIView.as_view(),
        name="sharing_agreements",
    ),
    path(
        "p/<slug:partnership_slug>/information-sharing/returns/",
        infosharing_api.ReturnsAPIView.as_view(),
        name="quarterly_returns",
    ),
    path(
        "p/<slug:partnership_slug>/strategy-group/meetings/",
        strategygroup_api.MeetingsAPIView.as_view(),
        name="strategy_meetings",
    ),
    path("p/<slug:partnership_slug>/grants/", plans_api.GrantsAPIView.as_view(), name="grants"),
    path(
        "p/<slug:partnership_slug>/grants/<int:safety_grant_id>/",
        plans_api.GrantDetailAPIView.as_view(),
        name="grant",
    ),
]
