from django.urls import path

from .views import compliance

app_name = "national"

urlpatterns = [
    path("national/", compliance.ComplianceView.as_view(), name="compliance"),
    path("national/compliance.csv", compliance.ComplianceCsvView.as_view(), name="compliance_csv"),
]
