"""Give existing forces the common topics."""

from django.db import migrations

# The periodic jobs are declared once, in settings.CELERY_BEAT_SCHEDULE: beat writes them
# into its tables when it starts. This migration no longer schedules anything itself.
DEFAULT_TOPICS = [
    "Weapons and knife crime",
    "Child criminal and sexual exploitation",
    "County lines",
    "Online safety and sexting",
    "Drugs and alcohol",
    "Anti-social behaviour",
    "Hate crime",
    "Healthy relationships",
    "Personal safety",
    "Road and rail safety",
]


def forwards(apps, schema_editor):
    Force = apps.get_model("accounts", "Force")
    Topic = apps.get_model("bookings", "Topic")
    for force in Force.objects.all():
        have = set(Topic.objects.filter(force=force).values_list("name", flat=True))
        Topic.objects.bulk_create(
            Topic(force=force, name=name) for name in DEFAULT_TOPICS if name not in have
        )


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_catalogue_slots_bookings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
