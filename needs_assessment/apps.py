from django.apps import AppConfig


class NeedsAssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "needs_assessment"
    verbose_name = "Needs assessment"

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.caching import clear_on_change
        from accounts.models import Force
        from schools.panels import (
            ListFilter,
            Panel,
            register,
            register_list_filter,
            register_promise,
        )

        from . import panels, receivers
        from .models import Framework, Level, ServiceOffer

        post_save.connect(
            receivers.give_new_force_the_default_frameworks,
            sender=Force,
            dispatch_uid="needs_assessment.default_frameworks",
        )
        clear_on_change(
            receivers.clear_cached_frameworks,
            (Framework, Level, ServiceOffer),
            uid="needs_assessment.frameworks",
        )
        register(Panel("needs_assessment/_school_panel.html", panels.school_panel, order=10))
        register_promise(panels.promised_engagements)
        register_list_filter(ListFilter("tier", "Tier", panels.tier_choices, panels.filter_by_tier))
