from django.urls import include, path

from . import views

app_name = "infosharing"

agreement_patterns = [
    path("", views.AgreementDetailView.as_view(), name="agreement"),
    path("review/", views.AgreementReviewView.as_view(), name="agreement_review"),
    path("end/", views.AgreementEndView.as_view(), name="agreement_end"),
]

tenant_patterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("new/", views.AgreementRecordView.as_view(), name="agreement_new"),
    path("<int:agreement_id>/", include(agreement_patterns)),
    path("returns/", views.ReturnListView.as_view(), name="returns"),
    path("returns/new/", views.ReturnsOpenView.as_view(), name="returns_open"),
    path("returns/<int:return_id>/", views.ReturnView.as_view(), name="return"),
]

urlpatterns = [path("p/<slug:partnership_slug>/information-sharing/", include(tenant_patterns))]
