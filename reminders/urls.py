from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.your_work, name="your_work"),
    path("p/<slug:partnership_slug>/cycle/", views.CycleView.as_view(), name="cycle"),
    path("notifications/", views.notification_list, name="list"),
    path("notifications/settings/", views.email_settings, name="settings"),
    path("notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="read"),
]
