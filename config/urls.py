from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from config import health
from reporting import views as reporting_views

# The Django admin has no sign-in of its own: it sends people to the product's sign-in, with
# its MFA challenge and rate limits, and back (accounts.middleware.RequireMFAMiddleware then
# holds every page, the admin's included, until this session has passed MFA).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # allauth's email page, with the sign-in address recorded as confirmed (accounts.views).
    path("accounts/email/", accounts_views.sign_in_email),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("incidents/", include("incidents.urls")),
    path("local-crime/", include("localcrime.urls")),
    path("", include("needs_assessment.urls")),
    path("agreements/", include("agreements.urls")),
    path("referrals/", include("referrals.urls")),
    path("bookings/", include("bookings.urls")),
    path("help/", include("help_requests.urls")),
    path("partnership/", include("partnership.urls")),
    path("dashboards/", include("reporting.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.BENCHMARK_PAGES:  # the benchmarks' floor page (make bench); never in production
    urlpatterns.append(path("benchmarks/", include("benchmarks.urls")))

# A database out of reach answers 503 "try again shortly", any other error 500 (config/errors.py).
handler500 = "config.errors.handler500"
