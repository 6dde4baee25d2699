"""The whole joint protocol in the default wording: each section shows in the preview and in
the sealed PDF; the data migration gives existing forces a new version (never rewriting one
in use), keeping what a force changed itself."""

import importlib

import pytest
from django.apps import apps

from agreements import defaults
from agreements.models import AgreementTemplate

from .test_pdf import pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db

PROTOCOL_HEADINGS = [
    "Aims and objectives",
    "What staff report to the police, and how",
    "Arrests at school",
    "Searching pupils",
    "Uniform and protective equipment",
    "Access to the school's grounds",
    "Other officers at the school",
    "Recording crime",
    "Informal resolution",
    "The officer's four roles",
    "The programme of activity",
    "Settling disagreements",
    "Working within the school",
    "What this agreement is read with",
]
PROTOCOL_PHRASES = [
    "substance misuse",
    "Exhibits and their continuity come first",
    "arrested at school only for a serious matter",
    "a copy to the pupil and sends one for the pupil's school file",
    "protective equipment the force issues",
    "does not enter a classroom while a lesson is being taught unless invited",
    "announce themselves at reception",
    "presumption against criminalising children",
    "only with the agreement of the victim and their parents",
    "role model",
    "the headteacher, the lead teachers and the governors",
    "the two leads of the partnership",
    "reasonable direction of the headteacher",
]

migration = importlib.import_module("agreements.migrations.0005_the_whole_protocol_in_the_wording")


def test_the_preview_shows_every_protocol_section(client, world, draft):
    client.force_login(world.neighbourhood)
    page = " ".join(client.get(draft.get_absolute_url()).content.decode().split())
    page = page.replace("&#x27;", "'")
    for heading in PROTOCOL_HEADINGS:
        assert heading in page, heading
    for phrase in PROTOCOL_PHRASES:
        assert phrase in page, phrase
    # The guidance is linked.
    assert (
        'href="https://www.gov.uk/government/publications/searching-screening-and-confiscation"'
        in page
    )


def test_the_sealed_pdf_carries_the_protocol(active):
    text = " ".join(pdf_text(pdf_bytes(active)).split())
    for heading in ("Aims and objectives", "Searching pupils", "The officer's four roles"):
        assert heading in text.replace("’", "'"), heading
    assert "presumption against criminalising children" in text


def test_both_variants_keep_one_to_one_and_small_group_work():
    for spec in (defaults.NAMED_OFFICER, defaults.SAFER_SCHOOLS_OFFICER):
        police = next(s for s in spec["sections"] if s["key"] == "police")
        assert "one to one and in small groups" in police["body"], spec["kind"]
        keys = [s["key"] for s in spec["sections"]]
        assert keys.index("aims") < keys.index("police") < keys.index("reporting")
        assert keys[-1] == "review"


OLD_POLICE = "- name {officer} as the school's contact;\n- patrol near the school."


def _old_wording(world, *, police_body=OLD_POLICE, edited=None):
    """Put force A back on a first version without the protocol, as before this change."""
    force = world.forces["a"]
    AgreementTemplate.objects.filter(force=force, kind="named_officer").delete()
    old = [
        {"key": "purpose", "heading": "Why", "body": "Old purpose."},
        {"key": "police", "heading": "What {force} will do", "body": police_body},
        {"key": "review", "heading": "Reviewing", "body": "Old review."},
    ]
    AgreementTemplate.objects.create(
        force=force,
        kind="named_officer",
        version=1,
        title="MoU",
        sections=old,
        is_published=edited is None,
    )
    if edited is not None:
        AgreementTemplate.objects.create(
            force=force,
            kind="named_officer",
            version=2,
            title="MoU",
            sections=edited,
            is_published=True,
        )
    return force


def test_the_migration_adds_a_new_version_and_leaves_the_old_one(world):
    force = _old_wording(world)
    migration.forwards(apps, None)
    versions = AgreementTemplate.objects.filter(force=force, kind="named_officer")
    old, new = versions.get(version=1), versions.get(version=2)
    assert not old.is_published and [s["key"] for s in old.sections] == [
        "purpose",
        "police",
        "review",
    ]
    assert new.is_published
    keys = [s["key"] for s in new.sections]
    for key in ("aims", "reporting", "searches", "officer_roles", "disputes", "direction"):
        assert key in keys
    assert keys[-1] == "review"
    # Sections the force never changed are brought up to the shipped text.
    police = new.section("police")["body"]
    assert "one to one and in small groups" in police
    # Run again: nothing more to add, no third version.
    migration.forwards(apps, None)
    assert versions.count() == 2


def test_the_migration_keeps_what_a_force_wrote_itself(world):
    own = {"key": "parking", "heading": "Parking", "body": "Park at the back."}
    edited = [
        {"key": "purpose", "heading": "Why", "body": "Old purpose."},
        {"key": "police", "heading": "What {force} will do", "body": "Our own promises."},
        own,
        {"key": "review", "heading": "Reviewing", "body": "Old review."},
    ]
    force = _old_wording(world, edited=edited)
    migration.forwards(apps, None)
    new = AgreementTemplate.objects.get(force=force, kind="named_officer", is_published=True)
    assert new.version == 3
    assert new.section("police")["body"] == "Our own promises."
    keys = [s["key"] for s in new.sections]
    assert "parking" in keys and keys.index("parking") < keys.index("review")
    assert new.section("aims") is not None


def test_a_force_already_on_the_shipped_wording_gets_no_new_version(world):
    before = AgreementTemplate.objects.filter(force=world.forces["a"]).count()
    migration.forwards(apps, None)
    assert AgreementTemplate.objects.filter(force=world.forces["a"]).count() == before
