from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.home_panels import HomePanel
        from accounts.home_panels import register as register_home_panel
        from accounts.models import Force
        from accounts.navigation import NavItem
        from accounts.navigation import register as register_nav
        from needs_assessment.signals import tier_changed
        from schools.panels import ListFilter, Panel, register, register_list_filter
        from schools.staff import register_annotations as register_staff_annotations

        from . import panels, provider_panels, receivers

        post_save.connect(
            receivers.give_new_force_the_default_templates,
            sender=Force,
            dispatch_uid="agreements.default_templates",
        )
        tier_changed.connect(
            receivers.suggest_review_on_tier_change, dispatch_uid="agreements.review_suggested"
        )
        register_nav(NavItem("Agreements", "agreements:list", "agreements.list_agreements", 40))
        register_home_panel(HomePanel("agreements/_home_panel.html", panels.home_panel, order=20))
        register_nav(
            NavItem(
                "Provider agreements",
                "agreements:provider_list",
                "agreements.provider_agreements_in_nav",
                41,
            )
        )
        register_home_panel(
            HomePanel("agreements/provider/_home_panel.html", provider_panels.home_panel, order=21)
        )
        register_staff_annotations(panels.staff_school_annotations)
        register(Panel("agreements/_school_panel.html", panels.school_panel, order=20))
        register_list_filter(
            ListFilter("mou", "MoU status", panels.mou_status_choices, panels.filter_by_mou_status)
        )
