from django.urls import path

from . import views

app_name = "benchmarks"
urlpatterns = [
    path("floor/", views.floor, name="floor"),
    path("shell/", views.shell, name="shell"),
    path("peer/schools/", views.SchoolPeerList.as_view(), name="peer_schools"),
]
