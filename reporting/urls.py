from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard_index, name="dashboards"),
    path("steering-group/", views.steering_list, name="steering_list"),
    path("steering-group/<int:pk>/", views.steering_detail, name="steering_detail"),
    path("steering-group/<int:pk>/pdf", views.steering_download, name="steering_download"),
    path("<slug:section>/", views.dashboard, name="dashboard"),
    path("<slug:section>/<slug:table>.csv", views.export_csv, name="export"),
]
