"""What the partnership does when records of apps to its left change."""


def ask_the_school_to_agree(sender, assessment, by, **kwargs):
    """An approved assessment's level goes to the school's headteacher to agree."""
    from .services import level_agreement_open

    level_agreement_open(assessment=assessment)


def set_up_the_management_group(sender, assessment, by, **kwargs):
    """A school whose approved level expects a local management group gets one."""
    from .groups import management_group_ensure

    management_group_ensure(assessment=assessment, by=by)
