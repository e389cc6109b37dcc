from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "CSP Portal administration"

urlpatterns = [
    path("", include("partnerships.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("reviews.urls")),
    path("", include("casereviews.urls")),
    path("", include("reminders.urls")),
    path("", include("oversight.urls")),
    path("", include("scrutiny.urls")),
    path("", include("engagement.urls")),
    path("", include("infosharing.urls")),
    path("", include("strategygroup.urls")),
    path("", include("retention.urls")),
    path("", include("national.urls")),
    path("national-data/recorded-crime/", include("recorded_crime.urls")),
    path("account/", include("accounts.urls")),
    path("", include("pages.urls")),
    path("api/v1/", include("csp_portal.api_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/images/favicon.svg", permanent=True)),
]

handler400 = "csp_portal.errors.bad_request"
handler404 = "csp_portal.errors.page_not_found"
handler500 = "csp_portal.errors.server_error"
handler403 = "csp_portal.errors.permission_denied"
