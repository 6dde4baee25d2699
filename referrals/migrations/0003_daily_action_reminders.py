"""Once scheduled the daily action-plan reminders in django-celery-beat's database; see the note."""

from django.db import migrations

# The periodic jobs are declared once, in settings.CELERY_BEAT_SCHEDULE: beat writes them
# into its tables when it starts. This migration no longer schedules anything itself.


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_case_log_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = []
