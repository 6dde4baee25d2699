"""Give existing forces the common topics, and schedule the reminder and waitlist jobs."""

from django.db import migrations

REMINDERS = "Remind schools of booked sessions a week and a day before"
OFFERS = "End waitlist offers after 48 hours"
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
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/London",
    )
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=REMINDERS,
        defaults={"task": "bookings.tasks.remind_upcoming_bookings", "crontab": daily,
                  "enabled": True},
    )
    PeriodicTask.objects.update_or_create(
        name=OFFERS,
        defaults={"task": "bookings.tasks.expire_waitlist_offers", "crontab": hourly,
                  "enabled": True},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[REMINDERS, OFFERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_catalogue_slots_bookings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
