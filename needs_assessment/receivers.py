"""What this app does when records of apps to its left change."""

from .defaults import install_default_frameworks
from .models import Framework

ASSESSMENTS_TOPIC = "assessments"


def give_new_force_the_default_frameworks(sender, instance, created, raw=False, **kwargs):
    """A new force starts with both shipped frameworks, the three-tier one chosen."""
    if created and not raw:
        install_default_frameworks(instance)


def clear_school_list_options(sender, instance, **kwargs):
    """The school list's tier filter lists the levels of the force's chosen framework."""
    from schools import options

    framework = instance if isinstance(instance, Framework) else instance.framework
    options.invalidate(framework.force_id)


def clear_cached_assessments(sender, instance, **kwargs):
    """The assessment table shows each school's current and open assessments."""
    from accounts.caching import invalidate_on_commit

    invalidate_on_commit(ASSESSMENTS_TOPIC, instance.school.force_id)
