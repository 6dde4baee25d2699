from django.urls import path

from . import assessment_views, framework_views, table_views

app_name = "needs_assessment"
urlpatterns = [
    path("assessments/", table_views.assessment_table, name="assessment_table"),
    path("assessments/inbox/", assessment_views.inbox, name="inbox"),
    path(
        "assessments/start/<int:school_pk>/",
        assessment_views.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="assessment_edit"),
    path(
        "assessments/<int:pk>/submit/", assessment_views.assessment_submit, name="assessment_submit"
    ),
    path(
        "assessments/<int:pk>/decide/", assessment_views.assessment_decide, name="assessment_decide"
    ),
    path(
        "assessments/<int:pk>/review-date/",
        assessment_views.reassessment_request,
        name="reassessment_request",
    ),
    path("assessments/indicators/upload/", table_views.indicator_upload, name="indicator_upload"),
    path(
        "assessments/contacts-to-change/", table_views.contacts_to_change, name="contacts_to_change"
    ),
    path("frameworks/", framework_views.framework_list, name="framework_list"),
    path("frameworks/<int:pk>/", framework_views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/choose/", framework_views.framework_choose, name="framework_choose"),
    path(
        "frameworks/<int:pk>/levels/<int:level_pk>/edit/",
        framework_views.level_edit,
        name="level_edit",
    ),
    path(
        "frameworks/<int:pk>/offers/<int:offer_pk>/edit/",
        framework_views.offer_edit,
        name="offer_edit",
    ),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/edit/",
        framework_views.indicator_edit,
        name="indicator_edit",
    ),
]
