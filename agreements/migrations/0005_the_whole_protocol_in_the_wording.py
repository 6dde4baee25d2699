"""Give each force's MoU wording the joint protocol's sections, as a new published version.

Nothing is rewritten: agreements keep the version they were sent with. For each MoU kind,
the new version is the force's published wording with every shipped section it lacks added
in the shipped order, and with each section the force never changed (its text is still
version 1's) brought up to the shipped text. A section the force edited stays as the force
wrote it. A force whose wording already has it all gets no new version.
"""

from django.db import migrations

MOU_KINDS = ("named_officer", "safer_schools_officer")


def merged(published, first, shipped):
    """Return the new sections, or None when nothing changes."""
    first_bodies = {s.get("key"): s.get("body") for s in first}
    have = {s.get("key"): s for s in published}
    result = []
    for spec in shipped:
        key = spec["key"]
        current = have.get(key)
        if current is None:
            result.append(dict(spec))
        elif current.get("body") == first_bodies.get(key) and current.get("body") != spec["body"]:
            result.append({**current, "body": spec["body"]})
        else:
            result.append(dict(current))
    shipped_keys = {spec["key"] for spec in shipped}
    # The force's own sections (not shipped) keep their place before the review section.
    own = [dict(s) for s in published if s.get("key") not in shipped_keys]
    if own:
        at = next((i for i, s in enumerate(result) if s["key"] == "review"), len(result))
        result[at:at] = own
    return None if result == published else result


def forwards(apps, schema_editor):
    from agreements.defaults import DEFAULT_TEMPLATES

    AgreementTemplate = apps.get_model("agreements", "AgreementTemplate")
    shipped_by_kind = {spec["kind"]: spec for spec in DEFAULT_TEMPLATES}
    forces = AgreementTemplate.objects.values_list("force_id", flat=True).distinct()
    for force_id in forces:
        for kind in MOU_KINDS:
            versions = AgreementTemplate.objects.filter(force_id=force_id, kind=kind)
            published = versions.filter(is_published=True).first()
            first = versions.order_by("version").first()
            if published is None or first is None:
                continue
            sections = merged(published.sections, first.sections, shipped_by_kind[kind]["sections"])
            if sections is None:
                continue
            latest = versions.order_by("-version").first()
            versions.filter(is_published=True).update(is_published=False)
            AgreementTemplate.objects.create(
                force_id=force_id,
                kind=kind,
                version=latest.version + 1,
                title=published.title,
                sections=sections,
                is_published=True,
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_chasing_acting_heads_timestamps")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
