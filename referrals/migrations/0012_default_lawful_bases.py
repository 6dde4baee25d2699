from django.db import migrations


# The defaults as they stood when this migration was written (models.DEFAULT_LAWFUL_BASES
# gives new forces the current list).
DEFAULT_LAWFUL_BASES = [
    (
        "Safeguarding a child at risk of significant harm",
        "Sharing is needed to protect the young person or another child from significant harm "
        "(Children Act 1989; Working Together to Safeguard Children). Safeguarding of children "
        "is a substantial public interest condition of the Data Protection Act 2018.",
    ),
    (
        "Preventing or detecting crime",
        "Sharing is needed to prevent or detect a crime, or to apprehend or prosecute an "
        "offender, and asking for consent would prejudice that.",
    ),
    (
        "A legal obligation",
        "The law or a court order requires the information to be shared.",
    ),
    (
        "A public task of the police",
        "Sharing is needed for the police's statutory duties (public task), and consent would "
        "not be freely given or asking would increase the risk.",
    ),
    (
        "Protecting someone's life (vital interests)",
        "Sharing is needed urgently to protect someone's life, and nobody can give consent in time.",
    ),
]


def seed(apps, schema_editor):
    """Give each force the default list of lawful bases for sharing without consent."""
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
    dependencies = [("referrals", "0011_casework_consent_flags_signposting")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
