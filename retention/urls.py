from django.urls import include, path

from .views import RetentionScheduleView

app_name = "retention"

tenant_patterns = [
    path("retention/", RetentionScheduleView.as_view(), name="schedule"),
]

urlpatterns = [path("p/<slug:partnership_slug>/", include(tenant_patterns))]
