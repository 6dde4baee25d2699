"""Signals this app sends, for apps to its right (agreements flags an MoU for review)."""

from django.dispatch import Signal

# Sent after an approval changes a school's tier: sender=Assessment, school, previous_level
# (None for a first assessment), level, assessment.
tier_changed = Signal()
