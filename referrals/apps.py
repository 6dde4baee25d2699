from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from accounts import home_panels, navigation
        from schools.panels import Panel
        from schools.panels import register as register_school_panel

        from . import panel_home, panels

        navigation.register(
            navigation.NavItem("Referrals", "referrals:inbox", "referrals.view_inbox", 40)
        )
        navigation.register(
            navigation.NavItem("Cases", "referrals:case_list", "referrals.list_cases", 41)
        )
        navigation.register(
            navigation.NavItem("Panels", "referrals:panel_list", "referrals.list_panels", 42)
        )
        navigation.register(
            navigation.NavItem(
                "Casework actions", "referrals:my_actions", "referrals.view_my_actions", 43
            )
        )
        register_school_panel(Panel("referrals/_school_panel.html", panels.school_panel, order=30))
        home_panels.register(
            home_panels.HomePanel("referrals/_home_panel.html", panels.home_panel, order=20)
        )
        home_panels.register(
            home_panels.HomePanel(
                "referrals/_home_school_actions.html", panels.school_actions, order=21
            )
        )
        home_panels.register(
            home_panels.HomePanel(
                "referrals/panels/_home_agency.html", panel_home.agency_home, order=22
            )
        )
        # Casework's safeguards (issue 22): hand-overs waiting, and what a new school was told.
        from . import casework_panels

        navigation.register(
            navigation.NavItem(
                "From the police", "referrals:transfer_list", "referrals.read_school_handovers", 42
            )
        )
        navigation.register(
            navigation.NavItem(
                "Casework settings",
                "referrals:casework_settings",
                "referrals.manage_casework_settings",
                43,
            )
        )

        home_panels.register(
            home_panels.HomePanel(
                "referrals/casework/_home_transfers.html", casework_panels.transfers_panel, order=23
            )
        )
