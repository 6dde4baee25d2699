from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard_index, name="dashboards"),
    path("<slug:section>/", views.dashboard, name="dashboard"),
    path("<slug:section>/<slug:table>.csv", views.export_csv, name="export"),
]
