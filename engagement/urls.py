from django.urls import include, path

from . import views

app_name = "engagement"

event_patterns = [
    path("", views.EventDetailView.as_view(), name="event"),
    path("record/", views.EventRecordView.as_view(), name="event_record"),
    path("publish/", views.EventPublishView.as_view(), name="event_publish"),
    path("cancel/", views.EventCancelView.as_view(), name="event_cancel"),
]

tenant_patterns = [
    path("", views.EngagementIndexView.as_view(), name="index"),
    path("new/", views.EventPlanView.as_view(), name="event_new"),
    path("<int:event_id>/", include(event_patterns)),
]

urlpatterns = [
    path("community-safety/<slug:slug>/meetings/", views.PublicEventsView.as_view(), name="public"),
    path("p/<slug:partnership_slug>/engagement/", include(tenant_patterns)),
]
