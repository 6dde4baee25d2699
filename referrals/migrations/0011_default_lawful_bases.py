from django.db import migrations


def seed(apps, schema_editor):
    """Give each force the default list of lawful bases for sharing without consent."""
    from referrals.models import DEFAULT_LAWFUL_BASES

    Force = apps.get_model("accounts", "Force")
    LawfulBasis = apps.get_model("referrals", "LawfulBasis")
    for force in Force.objects.all():
        if LawfulBasis.objects.filter(force=force).exists():
            continue
        LawfulBasis.objects.bulk_create(
            [
                LawfulBasis(force=force, name=name, explanation=explanation, order=index)
                for index, (name, explanation) in enumerate(DEFAULT_LAWFUL_BASES)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0010_casework_consent_flags_signposting")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
