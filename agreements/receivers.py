"""What agreements does when records of apps to its left change."""

from .defaults import install_default_templates
from .services import agreements_flag_review


def give_new_force_the_default_templates(sender, instance, created, raw=False, **kwargs):
    """A new force starts with the shipped MoU and ISA wording, published."""
    if created and not raw:
        install_default_templates(instance)


def suggest_review_on_tier_change(sender, school, previous_level, level, assessment, **kwargs):
    """A school that changed tier may need a different agreement: say so on it."""
    before = previous_level.name if previous_level is not None else "not assessed"
    agreements_flag_review(
        school=school,
        reason=f"The school's tier changed from {before} to {level.name} "
        f"on {assessment.approved_on:%d %B %Y}.",
    )


AGREEMENTS_TOPIC = "agreements"


def clear_cached_agreements(sender, instance, raw=False, **kwargs):
    """An agreement, signature or template changed: the force's cached agreement rows go."""
    from accounts.caching import invalidate_on_commit
    from accounts.rules import force_id_of

    if raw:
        return
    invalidate_on_commit(AGREEMENTS_TOPIC, force_id_of(instance))
