from django.apps import AppConfig


class NeedsAssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "needs_assessment"
    verbose_name = "Needs assessment"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Force
        from schools.panels import (
            ListFilter,
            Panel,
            register,
            register_list_filter,
            register_promise,
        )

        from . import panels, receivers
        from .models import Assessment, Framework, Level, ServiceOffer

        post_save.connect(
            receivers.give_new_force_the_default_frameworks,
            sender=Force,
            dispatch_uid="needs_assessment.default_frameworks",
        )
        for model in (Framework, Level, ServiceOffer):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.clear_cached_frameworks,
                    sender=model,
                    dispatch_uid=f"needs_assessment.school_options.{model.__name__}.{id(signal)}",
                )
        post_save.connect(
            receivers.clear_cached_assessments, sender=Assessment, dispatch_uid="na.assessments.s"
        )
        post_delete.connect(
            receivers.clear_cached_assessments, sender=Assessment, dispatch_uid="na.assessments.d"
        )
        register(Panel("needs_assessment/_school_panel.html", panels.school_panel, order=10))
        register_promise(panels.promised_engagements)
        register_list_filter(ListFilter("tier", "Tier", panels.tier_choices, panels.filter_by_tier))
