"""Give existing forces the shipped agreement wording, and schedule the daily review reminders."""

from django.db import migrations

TASK_NAME = "Remind of agreements due for review"


def forwards(apps, schema_editor):
    from agreements.defaults import DEFAULT_TEMPLATES

    Force = apps.get_model("accounts", "Force")
    AgreementTemplate = apps.get_model("agreements", "AgreementTemplate")
    AgreementSettings = apps.get_model("agreements", "AgreementSettings")
    for force in Force.objects.all():
        AgreementSettings.objects.get_or_create(force=force)
        for spec in DEFAULT_TEMPLATES:
            if not AgreementTemplate.objects.filter(force=force, kind=spec["kind"]).exists():
                AgreementTemplate.objects.create(
                    force=force,
                    kind=spec["kind"],
                    version=1,
                    title=spec["title"],
                    sections=[dict(s) for s in spec["sections"]],
                    is_published=True,
                )

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "agreements.tasks.remind_agreement_reviews", "crontab": schedule,
                  "enabled": True},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("accounts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
