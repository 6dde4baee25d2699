from django.urls import path

from . import protocol_views, record_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_start, name="start"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<int:pk>/withdraw/", views.lead_withdraw, name="lead_withdraw"),
    path("protocol/", protocol_views.protocol, name="protocol"),
    path("protocol/new/", protocol_views.kind_create, name="kind_create"),
    path("protocol/<int:pk>/", protocol_views.kind_edit, name="kind_edit"),
    path("<uuid:public_id>/", views.incident_detail, name="detail"),
    path("<uuid:public_id>/acknowledge/", views.incident_acknowledge, name="acknowledge"),
    path("<uuid:public_id>/outcome/", views.incident_outcome, name="outcome"),
    path("<uuid:public_id>/report/check/", views.report_check, name="check"),
    path("<uuid:public_id>/report/people/add/", views.person_add, name="person_add"),
    path(
        "<uuid:public_id>/report/people/<int:pk>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("<uuid:public_id>/report/exhibits/add/", views.exhibit_add, name="exhibit_add"),
    path(
        "<uuid:public_id>/report/exhibits/<int:pk>/remove/",
        views.exhibit_remove,
        name="exhibit_remove",
    ),
    path("<uuid:public_id>/report/<slug:step>/", views.report_step, name="step"),
    # The officer's operational records.
    path("<uuid:public_id>/searches/new/", record_views.search_create, name="search_create"),
    path("searches/<uuid:public_id>/", record_views.search_detail, name="search_detail"),
    path("searches/<uuid:public_id>/copy.pdf", record_views.search_copy, name="search_copy"),
    path("searches/<uuid:public_id>/copies/", record_views.search_copies, name="search_copies"),
    path(
        "<uuid:public_id>/resolutions/new/",
        record_views.resolution_create,
        name="resolution_create",
    ),
    path(
        "resolutions/<uuid:public_id>/",
        record_views.resolution_detail,
        name="resolution_detail",
    ),
    path(
        "resolutions/<uuid:public_id>/agree/",
        record_views.consent_add,
        name="consent_add",
    ),
    path(
        "resolutions/<uuid:public_id>/outcome/",
        record_views.resolution_outcome,
        name="resolution_outcome",
    ),
    path("<uuid:public_id>/arrests/new/", record_views.arrest_create, name="arrest_create"),
    path("arrests/<uuid:public_id>/", record_views.arrest_detail, name="arrest_detail"),
]
