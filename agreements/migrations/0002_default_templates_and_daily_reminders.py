"""Give existing forces the shipped agreement wording."""

from django.db import migrations

# The periodic jobs are declared once, in settings.CELERY_BEAT_SCHEDULE: beat writes them
# into its tables when it starts. This migration no longer schedules anything itself.


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


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("accounts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
