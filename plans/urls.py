"""Each views module lists its own routes: ``tenant_patterns`` live under /p/<partnership>/,
``site_patterns`` at the site root (a person's own actions, the public summaries)."""

from django.urls import include, path

from .views import approval, consultation, documents, drafting, grants, progress, public, reports

app_name = "plans"

tenant_patterns = [
    *drafting.tenant_patterns,
    *approval.tenant_patterns,
    *consultation.tenant_patterns,
    *progress.tenant_patterns,
    *documents.tenant_patterns,
    *reports.tenant_patterns,
    *grants.tenant_patterns,
]

urlpatterns = [
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
    *progress.site_patterns,
    *public.site_patterns,
]
