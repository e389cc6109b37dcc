from django.urls import path

from . import views

app_name = "recorded_crime"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="releases"),
    path("upload/", views.ReleaseUploadView.as_view(), name="upload"),
    path("population/upload/", views.PopulationUploadView.as_view(), name="population_upload"),
]
