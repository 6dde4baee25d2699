"""Demo incidents for `manage.py seed_demo`: made-up pupils, the same on every run.

A handful at the demo school in each state a demo user meets: a weapon found waiting to be
acknowledged, drugs acknowledged, an assault resolved restoratively, a robbery recorded as a
crime, and a draft the DSL has not sent; one at the other headteacher's school.
"""

import datetime

from django.db import transaction

from accounts.models import Role, User

from . import services
from .models import Incident, IncidentKind

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
        return f"{Incident.objects.filter(school__force=force).count()} incidents (none added)"
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
    total = Incident.objects.filter(school__force=force).count()
    return f"{total} incidents ({added} added)"
