from django.urls import include, path

from .views import site_patterns, tenant_patterns

app_name = "casereviews"

urlpatterns = [
    *site_patterns,
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
]
