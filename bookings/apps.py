from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self):
        from django.db.models.signals import post_save

        from accounts import home_panels, navigation
        from accounts.models import Force
        from schools.panels import Panel, register

        from . import panels

        post_save.connect(
            panels.give_new_force_the_default_topics,
            sender=Force,
            dispatch_uid="bookings.default_topics",
        )
        for item in (
            navigation.NavItem("Sessions", "bookings:catalogue", "bookings.view_catalogue", 40),
            navigation.NavItem("Bookings", "bookings:booking_list", "bookings.list_bookings", 41),
            navigation.NavItem(
                "Manage sessions", "bookings:manage", "bookings.manage_sessions", 42
            ),
            navigation.NavItem("Demand", "bookings:demand_list", "bookings.view_demand", 43),
            navigation.NavItem(
                "Sessions at my schools",
                "bookings:school_sessions",
                "bookings.view_school_sessions",
                44,
            ),
        ):
            navigation.register(item)
        home_panels.register(
            home_panels.HomePanel("bookings/_home_school.html", panels.school_home, order=30)
        )
        home_panels.register(
            home_panels.HomePanel("bookings/_home_provider.html", panels.provider_home, order=30)
        )
        register(Panel("bookings/_school_panel.html", panels.school_panel, order=40))
        from schools.panels import ListFilter, register_list_filter

        from .models import REACHED_CHOICES, filter_schools_reached

        register_list_filter(
            ListFilter(
                "reached",
                "Reached by a session",
                lambda user: REACHED_CHOICES,
                filter_schools_reached,
                period=True,
            )
        )
