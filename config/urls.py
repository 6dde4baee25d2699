from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import health
from reporting import views as reporting_views

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("", include("needs_assessment.urls")),
    path("agreements/", include("agreements.urls")),
    path("referrals/", include("referrals.urls")),
    path("bookings/", include("bookings.urls")),
    path("dashboards/", include("reporting.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.BENCHMARK_PAGES:  # the benchmarks' floor page (make bench); never in production
    urlpatterns.append(path("benchmarks/", include("benchmarks.urls")))

# A database out of reach answers 503 "try again shortly", any other error 500 (config/errors.py).
handler500 = "config.errors.handler500"
