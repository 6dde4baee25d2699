"""Give every force that exists the protocol's kinds of incident and their steps."""

from django.db import migrations


def install(apps, schema_editor):
    from incidents.defaults import install_defaults

    Force = apps.get_model("accounts", "Force")
    kind_model = apps.get_model("incidents", "IncidentKind")
    step_model = apps.get_model("incidents", "ProtocolStep")
    for force in Force.objects.all():
        install_defaults(force, kind_model=kind_model, step_model=step_model)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
