"""What this app does when records of apps to its left change."""

from .defaults import install_default_frameworks


def give_new_force_the_default_frameworks(sender, instance, created, raw=False, **kwargs):
    """A new force starts with both shipped frameworks, the three-tier one chosen."""
    if created and not raw:
        install_default_frameworks(instance)
