from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from partnerships import api as partnerships_api

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("partnerships/", partnerships_api.MyPartnershipsView.as_view(), name="my_partnerships"),
    path(
        "p/<slug:partnership_slug>/people/",
        partnerships_api.PeopleAPIView.as_view(),
        name="people",
    ),
]
