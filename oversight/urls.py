from django.urls import include, path

from . import views

app_name = "oversight"

report_request_patterns = [
    path("", views.ReportRequestDetailView.as_view(), name="report_request"),
    path("answer/", views.ReportRequestAnswerView.as_view(), name="report_request_answer"),
    path("more/", views.ReportRequestAskMoreView.as_view(), name="report_request_more"),
    path("close/", views.ReportRequestCloseView.as_view(), name="report_request_close"),
    path("withdraw/", views.ReportRequestWithdrawView.as_view(), name="report_request_withdraw"),
    path(
        "documents/<int:report_document_id>/",
        views.ReportDocumentDownloadView.as_view(),
        name="report_document",
    ),
]

pcc_priority_patterns = [
    path("", views.PccPriorityListView.as_view(), name="pcc_priorities"),
    path("add/", views.PccPriorityEditView.as_view(), name="pcc_priority_add"),
    path("<int:pcc_priority_id>/", views.PccPriorityEditView.as_view(), name="pcc_priority_edit"),
    path(
        "<int:pcc_priority_id>/retire/",
        views.PccPriorityRetireView.as_view(),
        name="pcc_priority_retire",
    ),
    path(
        "<int:pcc_priority_id>/move/", views.PccPriorityMoveView.as_view(), name="pcc_priority_move"
    ),
]

tenant_patterns = [
    path("report-requests/", views.ReportRequestListView.as_view(), name="report_requests"),
    path(
        "report-requests/new/", views.ReportRequestCreateView.as_view(), name="report_request_new"
    ),
    path("report-requests/<int:report_request_id>/", include(report_request_patterns)),
    path("police-and-crime-plan/", include(pcc_priority_patterns)),
    path("combinations/", views.CombinationListView.as_view(), name="combinations"),
    path("combinations/new/", views.CombinationApproveView.as_view(), name="combination_new"),
]

urlpatterns = [
    path("pcc/", views.force_area, name="force_area"),
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
]
