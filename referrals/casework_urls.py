"""The pages of casework's safeguards (issue 22 items 4-8), in the referrals namespace."""

from django.urls import path

from . import closure_views, consent_views, safety_views, signposting_views, transfer_views

urlpatterns = [
    path("cases/without-consent/", consent_views.without_consent_list, name="without_consent_list"),
    path("settings/", consent_views.casework_settings, name="casework_settings"),
    path("settings/lawful-bases/new/", consent_views.lawful_basis_edit, name="lawful_basis_create"),
    path(
        "settings/lawful-bases/<int:pk>/", consent_views.lawful_basis_edit, name="lawful_basis_edit"
    ),
    path(
        "cases/closures/", closure_views.closure_requests_waiting, name="closure_requests_waiting"
    ),
    path(
        "cases/<uuid:public_id>/closure-request/",
        closure_views.closure_request,
        name="closure_request",
    ),
    path(
        "cases/<uuid:public_id>/closure-request/<int:request_pk>/",
        closure_views.closure_decide,
        name="closure_decide",
    ),
    path("cases/<uuid:public_id>/flag/", closure_views.case_flag, name="case_flag"),
    path(
        "cases/<uuid:public_id>/flags/<int:flag_pk>/resolve/",
        closure_views.flag_resolve,
        name="flag_resolve",
    ),
    path("services/", signposting_views.service_directory, name="service_directory"),
    path("services/new/", signposting_views.service_edit, name="service_create"),
    path("services/<int:pk>/", signposting_views.service_edit, name="service_edit"),
    path("cases/<uuid:public_id>/signpost/", signposting_views.case_signpost, name="case_signpost"),
    path(
        "cases/<uuid:public_id>/signposting/<int:signposting_pk>/",
        signposting_views.signposting_outcome,
        name="signposting_outcome",
    ),
    path("cases/<uuid:public_id>/safety-plan/", safety_views.safety_plan, name="safety_plan"),
    path(
        "cases/<uuid:public_id>/safety-plan/print/",
        safety_views.safety_plan_print,
        name="safety_plan_print",
    ),
    path(
        "cases/<uuid:public_id>/safety-plan/review/",
        safety_views.safety_plan_review,
        name="safety_plan_review",
    ),
    path(
        "cases/<uuid:public_id>/safety-plan/factors/new/",
        safety_views.safety_plan_factor,
        name="safety_plan_factor",
    ),
    path(
        "cases/<uuid:public_id>/safety-plan/steps/new/",
        safety_views.safety_plan_step,
        name="safety_plan_step",
    ),
    path(
        "cases/<uuid:public_id>/safety-plan/steps/<int:step_pk>/done/",
        safety_views.safety_plan_step_done,
        name="safety_plan_step_done",
    ),
    path(
        "cases/<uuid:public_id>/hand-over/",
        transfer_views.transfer_request,
        name="transfer_request",
    ),
    path("hand-overs/", transfer_views.transfer_list, name="transfer_list"),
    path("hand-overs/<uuid:public_id>/", transfer_views.transfer_receipt, name="transfer_receipt"),
    path(
        "hand-overs/<uuid:public_id>/accept/",
        transfer_views.transfer_accept,
        name="transfer_accept",
    ),
    path(
        "hand-overs/<uuid:public_id>/decline/",
        transfer_views.transfer_decline,
        name="transfer_decline",
    ),
]
