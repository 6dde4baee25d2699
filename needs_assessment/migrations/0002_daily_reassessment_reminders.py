"""Once scheduled the daily reassessment reminder in django-celery-beat's database; see the note."""

from django.db import migrations

# The periodic jobs are declared once, in settings.CELERY_BEAT_SCHEDULE: beat writes them
# into its tables when it starts. This migration no longer schedules anything itself.


class Migration(migrations.Migration):
    dependencies = [
        ("needs_assessment", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = []
