"""Signals this app sends, for apps to its right (agreements flags an MoU for review)."""

from django.dispatch import Signal

# Sent after an approval changes a school's tier: sender=Assessment, school, previous_level
# (None for a first assessment), level, assessment.
tier_changed = Signal()

# Sent inside the approving transaction after any approval: sender=Assessment, assessment, by.
# The partnership asks the school to agree the level it sets.
assessment_approved = Signal()
