from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = "The partnership cycle"

    def ready(self):
        from accounts import home_panels, navigation
        from needs_assessment.computed import register_supplier
        from needs_assessment.models import Assessment
        from needs_assessment.signals import assessment_approved
        from schools.panels import Panel, register, register_annotations
        from schools.staff import register_annotations as register_staff_annotations

        from . import panels, receivers, voice

        assessment_approved.connect(
            receivers.ask_the_school_to_agree,
            sender=Assessment,
            dispatch_uid="partnership.ask_the_school_to_agree",
        )
        assessment_approved.connect(
            receivers.set_up_the_management_group,
            sender=Assessment,
            dispatch_uid="partnership.set_up_the_management_group",
        )
        register_supplier(voice.latest_figures_supplied)
        register(Panel("partnership/_school_panel.html", panels.school_panel, order=15))
        register_annotations(panels.page_annotations)
        navigation.register(
            navigation.NavItem("Groups", "partnership:group_list", "partnership.view_groups", 60)
        )
        home_panels.register(
            home_panels.HomePanel("partnership/_home_panel.html", panels.home_panel, order=25)
        )
        register_staff_annotations(panels.staff_school_annotations)
