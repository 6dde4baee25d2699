from django.urls import path

from . import views

app_name = "localcrime"
urlpatterns = [
    path("", views.crime_map, name="map"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("settings/", views.settings_edit, name="settings"),
    path("schools-without-position/", views.unplaced_schools, name="unplaced_schools"),
]
