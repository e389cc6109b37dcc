from django.urls import include, path

from . import views

app_name = "scrutiny"

information_patterns = [
    path("", views.InformationRequestDetailView.as_view(), name="information_request"),
    path(
        "answer/", views.InformationRequestAnswerView.as_view(), name="information_request_answer"
    ),
    path(
        "withdraw/",
        views.InformationRequestWithdrawView.as_view(),
        name="information_request_withdraw",
    ),
]

report_patterns = [
    path("", views.CommitteeReportDetailView.as_view(), name="committee_report"),
    path(
        "recommendations/<int:scrutiny_recommendation_id>/",
        views.RecommendationRespondView.as_view(),
        name="recommendation_respond",
    ),
]

call_patterns = [
    path("", views.CallForActionDetailView.as_view(), name="call_for_action"),
    path("outcome/", views.CallForActionConcludeView.as_view(), name="call_for_action_conclude"),
]

tenant_patterns = [
    path("", views.ScrutinyIndexView.as_view(), name="index"),
    path(
        "information/new/",
        views.InformationRequestCreateView.as_view(),
        name="information_request_new",
    ),
    path("information/<int:information_request_id>/", include(information_patterns)),
    path("reports/new/", views.CommitteeReportCreateView.as_view(), name="committee_report_new"),
    path("reports/<int:committee_report_id>/", include(report_patterns)),
    path(
        "calls-for-action/new/", views.CallForActionCreateView.as_view(), name="call_for_action_new"
    ),
    path("calls-for-action/<int:call_for_action_id>/", include(call_patterns)),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_new"),
    path("meetings/<int:scrutiny_meeting_id>/", views.MeetingDetailView.as_view(), name="meeting"),
]

urlpatterns = [path("p/<slug:partnership_slug>/scrutiny/", include(tenant_patterns))]
