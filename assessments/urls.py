"""Each views module lists its own routes: ``tenant_patterns`` live under /p/<partnership>/,
``site_patterns`` at the site root (a person's own requests)."""

from django.urls import include, path

from .views import assessments, consultation, contributions

app_name = "assessments"

tenant_patterns = [
    *assessments.tenant_patterns,
    *contributions.tenant_patterns,
    *consultation.tenant_patterns,
]

urlpatterns = [
    *contributions.site_patterns,
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
]
