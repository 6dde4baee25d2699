from django.urls import path

from . import manage_views, views

app_name = "bookings"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/book/", views.book_cohort, name="book_cohort"),
    path("sessions/<int:pk>/book/check/", views.book_check, name="book_check"),
    path("sessions/<int:pk>/propose/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("for-school/", views.book_for_school, name="book_for_school"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/calendar.ics", views.booking_ics_download, name="booking_ics"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
    path("bookings/<int:pk>/evaluate/", views.booking_evaluate, name="booking_evaluate"),
    path("bookings/<int:pk>/outcome/", views.booking_outcome, name="booking_outcome"),
    path("dates/<int:pk>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("waitlist/<int:pk>/", views.waitlist_offer, name="waitlist_offer"),
    path("waitlist/<int:pk>/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("my-schools/", views.school_sessions, name="school_sessions"),
    path("cases/<uuid:public_id>/", views.case_input, name="case_input"),
    path("deliveries/", manage_views.my_deliveries, name="my_deliveries"),
    path("demand/", views.demand_list, name="demand_list"),
    path("demand/dates/", views.date_list, name="date_list"),
    path("demand/new/", views.demand_create, name="demand_create"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/sessions/new/", manage_views.session_create, name="session_create"),
    path("manage/sessions/<int:pk>/edit/", manage_views.session_edit, name="session_edit"),
    path("manage/sessions/<int:pk>/dates/", manage_views.session_slots, name="session_slots"),
    path("manage/dates/<int:pk>/withdraw/", manage_views.slot_withdraw, name="slot_withdraw"),
    path("manage/dates/<int:pk>/deliverer/", manage_views.slot_deliverer, name="slot_deliverer"),
    path(
        "manage/sessions/<int:pk>/round-robin/",
        manage_views.session_round_robin,
        name="session_round_robin",
    ),
    path("manage/providers/<int:pk>/rules/", manage_views.provider_rules, name="provider_rules"),
    path("manage/calendar/", manage_views.calendar_settings, name="calendar_settings"),
    path("manage/topics/", manage_views.topics, name="topics"),
    path("results/", manage_views.evaluation_results, name="evaluation_results"),
    path("results/<int:pk>/reply/", manage_views.evaluation_reply, name="evaluation_reply"),
    path("calendar/<str:token>.ics", manage_views.provider_feed, name="provider_feed"),
]
