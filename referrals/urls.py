from django.urls import include, path

from . import case_views, panel_views, referral_views

app_name = "referrals"

urlpatterns = [
    path("", referral_views.inbox, name="inbox"),
    path("new/", referral_views.referral_create, name="referral_create"),
    path(
        "schools/<int:school_pk>/new/",
        referral_views.referral_create_for_school,
        name="referral_create_for_school",
    ),
    path(
        "incidents/<uuid:public_id>/new/",
        referral_views.referral_create_for_incident,
        name="referral_create_for_incident",
    ),
    path("<uuid:public_id>/", referral_views.referral_detail, name="referral_detail"),
    path("<uuid:public_id>/triage/", referral_views.referral_triage, name="referral_triage"),
    path("cases/", case_views.case_list, name="case_list"),
    path("cases/retention/", case_views.retention_review, name="retention_review"),
    path("cases/<uuid:public_id>/", case_views.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/reason/", case_views.case_reason, name="case_reason"),
    path("cases/<uuid:public_id>/log/new/", case_views.log_entry_create, name="log_entry_create"),
    path(
        "cases/<uuid:public_id>/log/<int:entry_pk>/correct/",
        case_views.log_entry_correct,
        name="log_entry_correct",
    ),
    path("cases/<uuid:public_id>/actions/new/", case_views.action_create, name="action_create"),
    path(
        "cases/<uuid:public_id>/actions/<int:action_pk>/",
        case_views.action_update,
        name="action_update",
    ),
    path("cases/<uuid:public_id>/risk/", case_views.case_risk, name="case_risk"),
    path("cases/<uuid:public_id>/allocate/", case_views.case_allocate, name="case_allocate"),
    path("cases/<uuid:public_id>/share/", case_views.case_share, name="case_share"),
    path(
        "cases/<uuid:public_id>/shares/<int:share_pk>/revoke/",
        case_views.share_revoke,
        name="share_revoke",
    ),
    path(
        "cases/<uuid:public_id>/referrals/<uuid:referral_public_id>/share-with-school/",
        case_views.referral_share_with_school,
        name="referral_share_with_school",
    ),
    path(
        "cases/<uuid:public_id>/school-shares/<int:share_pk>/revoke/",
        case_views.referral_unshare_with_school,
        name="referral_unshare_with_school",
    ),
    path("cases/<uuid:public_id>/close/", case_views.case_close, name="case_close"),
    path("cases/<uuid:public_id>/reopen/", case_views.case_reopen, name="case_reopen"),
    path("cases/<uuid:public_id>/legal-hold/", case_views.case_legal_hold, name="case_legal_hold"),
    path("cases/<uuid:public_id>/access-log/", case_views.case_access_log, name="case_access_log"),
    path("cases/<uuid:public_id>/merge/", case_views.young_person_merge, name="young_person_merge"),
    path(
        "cases/<uuid:public_id>/export/",
        case_views.subject_access_export,
        name="subject_access_export",
    ),
    path("cases/<uuid:public_id>/delete/", case_views.case_delete, name="case_delete"),
    # Casework's safeguards (issue 22): their own module and permission rows.
    path("", include("referrals.casework_urls")),
]

# Multi-agency panels, and actions owned outside the police (panel_views).
urlpatterns += [
    path("panels/", panel_views.panel_list, name="panel_list"),
    path("panels/new/", panel_views.panel_create, name="panel_create"),
    path("panels/<uuid:panel_id>/", panel_views.panel_detail, name="panel_detail"),
    path(
        "panels/<uuid:panel_id>/members/add/",
        panel_views.panel_member_add,
        name="panel_member_add",
    ),
    path(
        "panels/<uuid:panel_id>/members/<int:member_pk>/remove/",
        panel_views.panel_member_remove,
        name="panel_member_remove",
    ),
    path("panels/<uuid:panel_id>/cases/add/", panel_views.panel_case_add, name="panel_case_add"),
    path(
        "panels/<uuid:panel_id>/attendance/",
        panel_views.panel_attendance,
        name="panel_attendance",
    ),
    path(
        "panels/<uuid:panel_id>/cases/<int:item_pk>/decision/",
        panel_views.panel_decision,
        name="panel_decision",
    ),
    path(
        "panels/<uuid:panel_id>/cases/<int:item_pk>/actions/new/",
        panel_views.panel_action_add,
        name="panel_action_add",
    ),
    path("actions/mine/", panel_views.my_actions, name="my_actions"),
    path("actions/mine/<int:action_pk>/", panel_views.my_action_update, name="my_action_update"),
]
