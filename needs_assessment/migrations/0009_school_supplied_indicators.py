"""Every force's latest framework versions gain the indicators the school supplies each term
(truancy, absence, exclusions, incidents, bullying, results: partnership's termly figures fill
them). They are evidence only, with no thresholds, so no assessment's level changes: a version
in use gains them without a new version, and its approved assessments simply have no value."""

from django.db import migrations
from django.db.models import Max


def add_school_supplied_indicators(apps, schema_editor):
    from needs_assessment.defaults import school_supplied_indicators

    Framework = apps.get_model("needs_assessment", "Framework")
    Factor = apps.get_model("needs_assessment", "Factor")
    Indicator = apps.get_model("needs_assessment", "Indicator")
    latest = Framework.objects.values("force_id", "key").annotate(version=Max("version"))
    for row in latest:
        framework = Framework.objects.get(
            force_id=row["force_id"], key=row["key"], version=row["version"]
        )
        order = (Indicator.objects.filter(framework=framework).aggregate(n=Max("order"))["n"] or 0) + 1
        for item in school_supplied_indicators(framework.key):
            factor = Factor.objects.filter(framework=framework, key=item["factor"]).first()
            _, created = Indicator.objects.get_or_create(
                framework=framework,
                key=item["key"],
                defaults={
                    "factor": factor,
                    "name": item["name"],
                    "unit": item["unit"],
                    "maximum": item["maximum"],
                    "help_text": item["help_text"],
                    "thresholds": [],
                    "order": order,
                },
            )
            order += created


class Migration(migrations.Migration):
    dependencies = [("needs_assessment", "0008_local_crime_indicators")]

    operations = [
        migrations.RunPython(add_school_supplied_indicators, migrations.RunPython.noop),
    ]
