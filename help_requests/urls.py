from django.urls import path

from . import summary_views, views

app_name = "help_requests"

urlpatterns = [
    path("", views.help_request_list, name="list"),
    path("new/", views.help_request_create, name="create"),
    path("<int:pk>/", views.help_request_detail, name="detail"),
    path("<int:pk>/answer/", views.help_request_answer, name="answer"),
    path("<int:pk>/engagement/", views.help_request_engagement, name="engagement"),
    path("<int:pk>/incident/", views.help_request_incident, name="incident"),
    path("<int:pk>/session/", views.help_request_session, name="session"),
    path("<int:pk>/close/", views.help_request_close, name="close"),
    path("partnership/", summary_views.partnership_summary, name="summary"),
    path("partnership/summary.pdf", summary_views.partnership_summary_pdf, name="summary_pdf"),
]
