"""Each views module lists its routes under /p/<partnership>/ as ``tenant_patterns``."""

from django.urls import include, path

from .views import action_plan, evidence, lifecycle, quality_assurance

app_name = "reviews"

urlpatterns = [
    path(
        "p/<slug:partnership_slug>/",
        include(
            [
                *lifecycle.tenant_patterns,
                *evidence.tenant_patterns,
                *action_plan.tenant_patterns,
                *quality_assurance.tenant_patterns,
            ]
        ),
    ),
]
