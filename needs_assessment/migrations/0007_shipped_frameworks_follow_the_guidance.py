"""The shipped five-level framework follows the national guidance: every criterion, aim,
resource and expectation. A version already used by assessments is kept as it is and a new
version made (chosen in its place if it was chosen); the three-tier framework gains the
aims and expectations only, its tiers and offers untouched."""

from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    from needs_assessment.defaults import (
        FIVE_LEVEL,
        THREE_TIER,
        add_aims_and_expectations,
        install_framework,
        sync_framework,
    )

    Framework = apps.get_model("needs_assessment", "Framework")
    Assessment = apps.get_model("needs_assessment", "Assessment")
    Force = apps.get_model("accounts", "Force")
    for force in Force.objects.all():
        versions = Framework.objects.filter(force=force, key=FIVE_LEVEL["key"])
        latest = versions.order_by("-version").first()
        if latest is None:
            install_framework(force, FIVE_LEVEL, get_model=apps.get_model)
        elif not Assessment.objects.filter(framework=latest).exists():
            sync_framework(latest, FIVE_LEVEL, get_model=apps.get_model)
        else:
            was_chosen = latest.is_chosen
            if was_chosen:
                latest.is_chosen = False
                latest.save(update_fields=["is_chosen"])
            next_version = versions.aggregate(top=Max("version"))["top"] + 1
            install_framework(
                force,
                FIVE_LEVEL,
                chosen=was_chosen,
                version=next_version,
                get_model=apps.get_model,
            )
        for framework in Framework.objects.filter(force=force, key=THREE_TIER["key"]):
            add_aims_and_expectations(framework, THREE_TIER, get_model=apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("needs_assessment", "0006_guidance_criteria_aims_expectations"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
