from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from django.db.models.signals import post_save

        from accounts import home_panels, navigation
        from accounts.models import Force
        from schools.panels import Panel
        from schools.panels import register as register_school_panel

        from . import panels

        post_save.connect(
            panels.give_new_force_the_protocol,
            sender=Force,
            dispatch_uid="incidents.default_protocol",
        )
        navigation.register(
            navigation.NavItem("Incidents", "incidents:list", "incidents.view_list", 38)
        )
        navigation.register(
            navigation.NavItem("Protocol", "incidents:protocol", "incidents.manage_protocol", 85)
        )
        register_school_panel(Panel("incidents/_school_panel.html", panels.school_panel, order=25))
        home_panels.register(
            home_panels.HomePanel("incidents/_home_panel.html", panels.home_panel, order=15)
        )
