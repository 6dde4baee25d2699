"""What this app does when records of apps to its left change."""

from .defaults import install_default_frameworks
from .models import Framework

FRAMEWORKS_TOPIC = "frameworks"


def give_new_force_the_default_frameworks(sender, instance, created, raw=False, **kwargs):
    """A new force starts with both shipped frameworks, the three-tier one chosen."""
    if created and not raw:
        install_default_frameworks(instance)


def clear_cached_frameworks(sender, instance, **kwargs):
    """A framework, level or offer changed: clear the force's cached service offers."""
    from accounts.caching import invalidate_on_commit

    framework = instance if isinstance(instance, Framework) else instance.framework
    invalidate_on_commit(FRAMEWORKS_TOPIC, framework.force_id)
