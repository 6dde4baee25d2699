"""Demo incidents for `manage.py seed_demo`: made-up pupils, the same on every run.

A handful at the demo school in each state a demo user meets: a weapon found waiting to be
acknowledged, drugs acknowledged, an assault resolved restoratively, a robbery recorded as a
crime, and a draft the DSL has not sent; one at the other headteacher's school.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from incidents import record_services, services
from incidents.models import Incident, IncidentKind
from incidents.records import PupilSearch, RestorativeResolution
from schools.models import NamedContact

# kind, days ago, place, summary, people (part, first, last, year), exhibit, handling
INCIDENTS = [
    (
        "weapon",
        1,
        "in_school",
        "A tutor found a kitchen knife in a pupil's bag at morning registration.",
        [("suspect", "Kai", "Demo-Harper", "9"), ("witness", "", "", "9")],
        ("Kitchen knife in a sealed bag", "The headteacher's safe", "The headteacher"),
        None,
    ),
    (
        "drugs",
        6,
        "journey",
        "Two pupils were seen passing a small bag of cannabis at the bus stop after school.",
        [("suspect", "Maya", "Demo-Lowe", "10")],
        ("Small bag of herbal substance", "The school office safe", "The business manager"),
        ("acknowledged", None),
    ),
    (
        "assault_with_injury",
        20,
        "in_school",
        "A fight in the lunch queue; one pupil has a cut lip.",
        [("victim", "Tyler", "Demo-Brooks", "8"), ("suspect", "Jordan", "Demo-Price", "8")],
        None,
        ("restorative", "Both families agreed to a restorative meeting, held on Friday."),
    ),
    (
        "robbery",
        45,
        "outside_in_hours",
        "A pupil's phone was taken by two older boys near the gates at lunchtime.",
        [("victim", "Sam", "Demo-Ellis", "7"), ("suspect", "", "", "")],
        None,
        ("crime_recorded", "Crime recorded; CCTV from the shop opposite is being checked."),
    ),
]


def _report(spec, *, school, reporter, officer, today):
    key, days_ago, place, summary, people, exhibit, handling = spec
    kind = IncidentKind.objects.get(force_id=school.force_id, key=key)
    incident = services.incident_start(by=reporter, school=school, kind=kind)
    answers = {
        "when": {"occurred_on": today - datetime.timedelta(days=days_ago), "occurred_at": None},
        "where": {"place": place, "place_detail": ""},
        "what": {"summary": summary},
        "third_party": {"third_party_reported": False, "third_party_detail": ""},
        "evidence": {
            "evidence_kept": exhibit is not None,
            "evidence_detail": exhibit[0] if exhibit else "",
        },
        "parents": {"parents_told": "yes", "parents_told_detail": "The head of year phoned."},
    }
    for step, values in answers.items():
        services.incident_save_step(incident=incident, by=reporter, step=step, values=values)
    for part, first, last, year in people:
        services.person_add(
            incident=incident,
            by=reporter,
            part=part,
            kind="pupil",
            first_name=first,
            last_name=last,
            name_not_known=not first,
            year_group=year,
            description="",
        )
    if exhibit:
        what, where_kept, held_by = exhibit
        services.exhibit_add(
            incident=incident, by=reporter, what=what, where_kept=where_kept, held_by=held_by
        )
    if handling == "draft":
        return incident
    services.incident_send(incident=incident, by=reporter)
    if handling is None:
        return incident
    outcome, note = handling
    services.incident_acknowledge(incident=incident, by=officer)
    if outcome != "acknowledged":
        services.incident_record_outcome(
            incident=incident,
            by=officer,
            outcome=outcome,
            crime_reference="55/DEMO/26" if outcome == "crime_recorded" else "",
            school_note=note,
            police_note="Demo: police-only note the school never sees.",
        )
    return incident


def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo incidents once; return a short summary ("5 incidents …")."""
    dsl = by_role.get(Role.DSL)
    officer = by_role.get(Role.NEIGHBOURHOOD_OFFICER) or by_role.get(Role.SAFER_SCHOOLS_OFFICER)
    if not (dsl and officer) or Incident.objects.filter(school=demo_school).exists():
        records = seed_records(demo_school, today=today)
        total = Incident.objects.filter(school__force=force).count()
        return f"{total} incidents (none added){records}"
    added = 0
    with transaction.atomic():
        for spec in INCIDENTS:
            _report(spec, school=demo_school, reporter=dsl, officer=officer, today=today)
            added += 1
        draft = (
            "theft",
            0,
            "in_school",
            "A pupil's bike was taken from the racks.",
            [],
            None,
            "draft",
        )
        _report(draft, school=demo_school, reporter=dsl, officer=officer, today=today)
        added += 1
        head = User.objects.filter(
            organisation=other_school.organisation, role=Role.HEADTEACHER, is_active=True
        ).first()
        if head is not None:
            _report(INCIDENTS[2], school=other_school, reporter=head, officer=officer, today=today)
            added += 1
    records = seed_records(demo_school, today=today)
    total = Incident.objects.filter(school__force=force).count()
    return f"{total} incidents ({added} added){records}"


# The consents of the demo resolution: the made-up families of the assault in the lunch queue.
DEMO_CONSENTS = [
    ("victim", "Tyler Demo-Brooks"),
    ("victim_parent", "Dana Demo-Brooks"),
    ("staff", "Head of Year 8"),
    ("offender", "Jordan Demo-Price"),
    ("offender_parent", "Lee Demo-Price"),
]


def seed_records(school, *, today) -> str:
    """One search of a pupil (the knife found) and one restorative resolution agreed by
    everyone (the fight in the lunch queue), once; by the officer who owns the school's
    incidents. Return a short summary to add to the incidents' one."""
    if PupilSearch.objects.filter(incident__school=school).exists():
        return ""
    contact = NamedContact.objects.current(on=today).filter(school=school).first()
    officer = contact.officer if contact else None
    weapon = Incident.objects.sent().filter(school=school, kind__key="weapon").first()
    assault = Incident.objects.sent().filter(school=school, kind__key="assault_with_injury").first()
    if officer is None or weapon is None or assault is None:
        return ""
    yesterday = today - datetime.timedelta(days=1)
    with transaction.atomic():
        search = record_services.search_record(
            incident=weapon,
            by=officer,
            pupil_name="Kai Demo-Harper",
            year_group="9",
            searched_on=yesterday,
            searched_at=datetime.time(9, 10),
            place="The deputy head's office",
            grounds="The tutor found a kitchen knife in the pupil's bag; another pupil said "
            "he had a second blade.",
            object_of_search="A bladed article",
            found="Nothing further",
            officer=officer,
            staff_present="The deputy head and the Year 9 head of year",
            parents_told="yes",
            parents_told_by="The DSL",
            parents_told_how="phone",
            parents_told_on=yesterday,
            parents_told_at=datetime.time(9, 40),
            outcome="nothing_found",
            outcome_detail="The knife found by the tutor was seized.",
            police_note="Demo: police-only note the school never sees.",
        )
        moment = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(10)))
        record_services.search_copies_given(
            search=search, by=officer, given_to_pupil_at=moment, filed_with="The DSL",
            filed_at=moment,
        )  # fmt: skip
        resolution = record_services.resolution_propose(
            incident=assault,
            by=officer,
            proposed="Jordan apologises to Tyler at a meeting with both families and the head "
            "of year, and both agree to keep apart at lunchtimes for the rest of term.",
        )
        for capacity, name in DEMO_CONSENTS:
            record_services.consent_record(
                resolution=resolution,
                by=officer,
                capacity=capacity,
                signer_name=name,
                typed_name=name,
                agreed=True,
                fingerprint=resolution.content_sha256,
            )
        record_services.resolution_outcome(
            resolution=resolution,
            by=officer,
            outcome=RestorativeResolution.Outcome.COMPLETED,
            outcome_detail="The meeting was held; the apology was accepted.",
        )
    return "; 1 search and 1 restorative resolution added"
