from django.urls import include, path

from . import views

app_name = "assessments"

assessment_patterns = [
    path("", views.AssessmentDetailView.as_view(), name="detail"),
    path("pdf/", views.AssessmentPdfView.as_view(), name="pdf"),
    path("sections/<slug:kind>/", views.SectionEditView.as_view(), name="section_edit"),
    path("priorities/add/", views.PriorityEditView.as_view(), name="priority_add"),
    path("priorities/<int:priority_id>/", views.PriorityEditView.as_view(), name="priority_edit"),
    path(
        "priorities/<int:priority_id>/remove/",
        views.PriorityRemoveView.as_view(),
        name="priority_remove",
    ),
    path("open/", views.OpenContributionsView.as_view(), name="open_contributions"),
    path("request/", views.ContributionRequestView.as_view(), name="request_contributions"),
    path("submit/", views.SubmitForReviewView.as_view(), name="submit_for_review"),
    path("return/", views.ReturnAssessmentView.as_view(), name="return"),
    path("approve/", views.ApproveAssessmentView.as_view(), name="approve"),
    path("new-version/", views.NewVersionView.as_view(), name="new_version"),
]

contribution_patterns = [
    path("", views.ContributionDetailView.as_view(), name="contribution"),
    path("submit/", views.ContributionSubmitView.as_view(), name="contribution_submit"),
    path("accept/", views.ContributionAcceptView.as_view(), name="contribution_accept"),
    path("return/", views.ContributionReturnView.as_view(), name="contribution_return"),
    path("withdraw/", views.ContributionWithdrawView.as_view(), name="contribution_withdraw"),
    path("documents/add/", views.DocumentUploadView.as_view(), name="document_add"),
    path("documents/<int:document_id>/", views.DocumentDownloadView.as_view(), name="document"),
    path(
        "documents/<int:document_id>/remove/",
        views.DocumentRemoveView.as_view(),
        name="document_remove",
    ),
]

urlpatterns = [
    path("my-requests/", views.my_requests, name="my_requests"),
    path("p/<slug:partnership_slug>/assessments/", views.AssessmentListView.as_view(), name="list"),
    path(
        "p/<slug:partnership_slug>/assessments/<int:assessment_id>/",
        include(assessment_patterns),
    ),
    path(
        "p/<slug:partnership_slug>/contributions/<int:contribution_id>/",
        include(contribution_patterns),
    ),
]
