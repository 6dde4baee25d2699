from django.apps import AppConfig


class LocalCrimeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "localcrime"
    verbose_name = "Local crime and ASB"

    def ready(self):
        from accounts.navigation import NavItem
        from accounts.navigation import register as register_nav
        from schools.panels import Panel, register, register_annotations

        from . import panels

        register(Panel("localcrime/_school_panel.html", panels.school_panel, order=15))
        register_annotations(panels.page_annotations)
        register_nav(NavItem("Local crime", "localcrime:map", "localcrime.view_local_crime", 40))
