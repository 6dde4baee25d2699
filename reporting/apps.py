from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from accounts.navigation import NavItem
        from accounts.navigation import register as register_nav
        from schools.panels import ListFilter, register_list_filter

        from . import invalidation
        from .figures import engagement, local_crime

        invalidation.connect()
        register_nav(NavItem("Dashboards", "reporting:dashboards", "reporting.view_dashboards", 5))
        register_list_filter(
            ListFilter(
                "local_crime",
                "Local crime",
                local_crime.choices,
                local_crime.filter_above_band,
                with_user=True,
            )
        )
        register_list_filter(
            ListFilter(
                "engagement",
                "Engagement this term",
                lambda user: engagement.STANDINGS,
                engagement.filter_by_standing,
                with_user=True,
            )
        )
