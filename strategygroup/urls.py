from django.urls import include, path

from . import views

app_name = "strategygroup"

meeting_patterns = [
    path("", views.MeetingDetailView.as_view(), name="meeting"),
    path("record/", views.MeetingRecordView.as_view(), name="meeting_record"),
    path("decisions/new/", views.DecisionAddView.as_view(), name="decision_new"),
    path("publish/", views.MeetingPublishView.as_view(), name="meeting_publish"),
    path(
        "publish-public/", views.MeetingPublishPublicView.as_view(), name="meeting_publish_public"
    ),
    path(
        "withdraw-public/",
        views.MeetingWithdrawPublicView.as_view(),
        name="meeting_withdraw_public",
    ),
    path("papers/new/", views.PaperAddView.as_view(), name="paper_new"),
    path("papers/<int:paper_id>/", views.PaperDownloadView.as_view(), name="paper"),
]

tenant_patterns = [
    path("", views.MeetingListView.as_view(), name="meetings"),
    path("new/", views.MeetingScheduleView.as_view(), name="meeting_new"),
    path("<int:meeting_id>/", include(meeting_patterns)),
]

urlpatterns = [
    path(
        "community-safety/<slug:slug>/strategy-group/",
        views.PublicMeetingsView.as_view(),
        name="public",
    ),
    path("p/<slug:partnership_slug>/strategy-group/", include(tenant_patterns)),
]
