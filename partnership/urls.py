from django.urls import path

from . import agreement_review_views, force_list_views, group_views, views, voice_views

app_name = "partnership"

urlpatterns = [
    path("schools/<int:school_pk>/", views.school, name="school"),
    path("schools/<int:school_pk>/level/", views.level_agreement, name="level_agreement"),
    path(
        "schools/<int:school_pk>/checklist/<int:expectation_pk>/",
        views.expectation_tick,
        name="expectation_tick",
    ),
    path("schools/<int:school_pk>/plan/strategy/", views.strategy_edit, name="strategy_edit"),
    path(
        "schools/<int:school_pk>/plan/objectives/new/",
        views.objective_create,
        name="objective_create",
    ),
    path("schools/<int:school_pk>/plan/actions/new/", views.action_create, name="action_create"),
    path("schools/<int:school_pk>/reviews/<int:term_pk>/", views.review, name="review"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("levels/", views.level_list, name="level_list"),
    path("schools/<int:school_pk>/figures/", voice_views.figures_edit, name="figures_edit"),
    path("schools/<int:school_pk>/surveys/open/", voice_views.survey_open, name="survey_open"),
    path(
        "schools/<int:school_pk>/surveys/<int:pk>/",
        voice_views.survey_detail,
        name="survey_detail",
    ),
    path("survey/<str:token>/", voice_views.survey_answer, name="survey_answer"),
    path("settings/", force_list_views.cycle_settings, name="cycle_settings"),
    path("settings/roles/", force_list_views.purposes_edit, name="purposes_edit"),
    path("settings/aims/<int:pk>/", force_list_views.aim_edit, name="aim_edit"),
    path(
        "settings/expectations/new/",
        force_list_views.expectation_edit,
        name="expectation_create",
    ),
    path(
        "settings/expectations/<int:pk>/",
        force_list_views.expectation_edit,
        name="expectation_edit",
    ),
    path(
        "agreements/<int:agreement_pk>/",
        agreement_review_views.agreement_reviews,
        name="agreement_reviews",
    ),
    path(
        "agreements/<int:agreement_pk>/reviews/start/",
        agreement_review_views.review_start,
        name="agreement_review_start",
    ),
    path(
        "agreements/<int:agreement_pk>/nmt-meetings/new/",
        agreement_review_views.nmt_meeting_create,
        name="nmt_meeting_create",
    ),
    path(
        "agreement-reviews/<int:pk>/",
        agreement_review_views.agreement_review,
        name="agreement_review",
    ),
    path(
        "agreement-reviews/<int:pk>/decide/",
        agreement_review_views.review_decide,
        name="agreement_review_decide",
    ),
    path("groups/", group_views.group_list, name="group_list"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path("groups/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/new/", group_views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/sign/", group_views.group_sign, name="group_sign"),
    path("groups/<int:pk>/terms/", group_views.group_terms_edit, name="group_terms_edit"),
    path("groups/<int:pk>/meetings/new/", group_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", group_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/invitation.ics", group_views.meeting_ics, name="meeting_ics"),
    path(
        "meetings/<int:pk>/actions/new/", group_views.meeting_action_add, name="meeting_action_add"
    ),
    path(
        "meeting-actions/<int:pk>/done/",
        group_views.meeting_action_done,
        name="meeting_action_done",
    ),
]
