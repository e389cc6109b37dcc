"""Every route of the API, version 1. Each app's serializers and views are in its ``api.py``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from assessments import api as assessments_api
from partnerships import api as partnerships_api
from plans import api as plans_api

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
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
    path("plans/", plans_api.PublishedPlansView.as_view(), name="published_plans"),
    path(
        "p/<slug:partnership_slug>/plans/<int:plan_id>/",
        plans_api.PublishedPlanDetailAPIView.as_view(),
        name="published_plan",
    ),
]
