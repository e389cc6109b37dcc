from django.urls import path, re_path

from .views import compliance, learning, open_data, register

app_name = "national"

urlpatterns = [
    path("national/", compliance.ComplianceView.as_view(), name="compliance"),
    path("national/compliance.csv", compliance.ComplianceCsvView.as_view(), name="compliance_csv"),
    path("national/dhr-learning/", learning.LearningCountsView.as_view(), name="learning"),
    path(
        "national/dhr-learning.csv", learning.LearningCountsCsvView.as_view(), name="learning_csv"
    ),
    path(
        "p/<slug:partnership_slug>/reviews/<int:review_id>/learning/",
        learning.ReviewLearningView.as_view(),
        name="review_learning",
    ),
    # The public register. Its argument is ``slug``, not ``partnership_slug``: it is public, and
    # tests/test_isolation.py walks every ``partnership_slug`` URL as a member-only page.
    path("partnerships/", register.RegisterView.as_view(), name="register"),
    path("partnerships/<slug:slug>/", register.RegisterEntryView.as_view(), name="register_entry"),
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
    re_path(
        r"^open-data/(?P<dataset>partnerships|compliance|priorities)\.(?P<extension>csv|json)$",
        open_data.dataset_view,
        name="open_data_file",
    ),
]
