"""What this app does when records of apps to its left change."""

from .defaults import install_default_frameworks
from .models import Framework

ASSESSMENTS_TOPIC = "assessments"
FRAMEWORKS_TOPIC = "frameworks"


def give_new_force_the_default_frameworks(sender, instance, created, raw=False, **kwargs):
    """A new force starts with both shipped frameworks, the three-tier one chosen."""
    if created and not raw:
        install_default_frameworks(instance)


def clear_cached_frameworks(sender, instance, **kwargs):
    """A framework, level or offer changed: clear the force's cached offers, and the school
    list (its tier filter lists the levels of the chosen framework)."""
    from accounts.caching import invalidate_on_commit
    from schools import options

    framework = instance if isinstance(instance, Framework) else instance.framework
    invalidate_on_commit(FRAMEWORKS_TOPIC, framework.force_id)
    options.invalidate(framework.force_id)


def clear_cached_assessments(sender, instance, **kwargs):
    """The assessment table shows each school's current and open assessments."""
    from accounts.caching import invalidate_on_commit

    invalidate_on_commit(ASSESSMENTS_TOPIC, instance.school.force_id)
