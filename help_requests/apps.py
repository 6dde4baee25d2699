from django.apps import AppConfig


class HelpRequestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "help_requests"
    verbose_name = "Requests for help"

    def ready(self):
        from accounts import home_panels, navigation
        from schools.panels import Panel, register
        from schools.staff import register_annotations

        from . import panels, partnership

        navigation.register(
            navigation.NavItem("Requests for help", "help_requests:list", "help_requests.list", 35)
        )
        home_panels.register(
            home_panels.HomePanel(
                "help_requests/_home_partnership.html", panels.partnership, order=5
            )
        )
        register(Panel("help_requests/_school_panel.html", panels.school_panel, order=45))
        register_annotations(partnership.staff_school_annotations)
        home_panels.register(
            home_panels.HomePanel(
                "help_requests/_home_police.html", panels.police_requests, order=25
            )
        )
