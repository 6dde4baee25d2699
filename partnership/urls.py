from django.urls import path

from . import views

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
]
