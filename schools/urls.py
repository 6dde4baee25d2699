from django.urls import path

from . import engagement_views, gias_views, views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("<int:pk>/", views.school_detail, name="detail"),
    path("<int:pk>/contacts/", views.contacts_edit, name="contacts_edit"),
    path("<int:pk>/named-contact/", views.hand_over, name="hand_over"),
    path("police-contacts/", views.contact_overview, name="contact_overview"),
    path("engagements/new/", engagement_views.engagement_create, name="engagement_create"),
    path(
        "engagements/<int:pk>/correct/",
        engagement_views.engagement_correct,
        name="engagement_correct",
    ),
    path("terms/", engagement_views.term_list, name="term_list"),
    path("terms/new/", engagement_views.term_create, name="term_create"),
    path("terms/<int:pk>/edit/", engagement_views.term_edit, name="term_edit"),
    path("import/", gias_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", gias_views.import_preview, name="import_preview"),
    path("import/<int:pk>/status/", gias_views.import_status, name="import_status"),
]
