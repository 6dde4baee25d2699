from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/disable/", views.person_disable, name="person_disable"),
    path("people/<int:pk>/enable/", views.person_enable, name="person_enable"),
    path("people/invite/", views.invitation_create, name="invitation_create"),
    path("people/invitations/", views.invitation_list, name="invitation_list"),
    path("people/invitations/<int:pk>/cancel/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/access/", views.access_log_list, name="access_log_list"),
    path("emails/", views.outbox_list, name="outbox_list"),
    path("emails/<int:pk>/send-again/", views.outbox_resend, name="outbox_resend"),
    path("my-account/", views.my_account, name="my_account"),
    path("force-settings/", views.force_settings, name="force_settings"),
]
