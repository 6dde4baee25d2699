from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import health

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("django-admin/", admin.site.urls),
]
