"""Demo requests for help for `manage.py seed_demo`: at the demo school, one waiting for an
answer, one answered and one met by an engagement and closed. Seeded once per force: a second
run finds them and adds nothing. Written directly, without emails: nobody is told of demo data."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from help_requests.models import HelpRequest
from schools.models import Engagement, NamedContact


@transaction.atomic
def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the demo school's requests for help once; return a short summary."""
    if HelpRequest.objects.filter(school__force=force).exists():
        return ""
    contact = NamedContact.objects.current(on=today).filter(school=demo_school).first()
    officer = contact.officer if contact else by_role[Role.NEIGHBOURHOOD_OFFICER]
    deputy = contact.deputy if contact else None
    now = timezone.now()
    common = {
        "school": demo_school,
        "officer": officer,
        "deputy": deputy,
        "team_id": demo_school.team_id,
    }
    rows = [
        HelpRequest(
            **common,
            asked_by=by_role[Role.SCHOOL_LINK],
            kind=HelpRequest.Kind.TALK,
            need="A talk to the Year 9 assembly about knife crime, before the half-term break.",
            needed_by=today + datetime.timedelta(days=21),
        ),
        HelpRequest(
            **common,
            asked_by=by_role[Role.DSL],
            kind=HelpRequest.Kind.GATES,
            need="Older teenagers wait at the main gate at home time and parents are worried.",
            status=HelpRequest.Status.ANSWERED,
            answer="I will be at the main gate at 3.15pm on Tuesday and Thursday for the next "
            "two weeks, and I have asked the neighbourhood team to patrol the park.",
            answered_by=officer,
            answered_at=now,
        ),
    ]
    engagement = Engagement.objects.create(
        school=demo_school,
        officer=officer,
        occurred_on=today - datetime.timedelta(days=3),
        kind=Engagement.Kind.SENIOR_MEETING,
        purpose=Engagement.Purpose.EDUCATOR,
        duration_minutes=45,
        with_whom="Headteacher and head of year 10",
        summary="Advice on the school's search policy.",
    )
    rows.append(
        HelpRequest(
            **common,
            asked_by=by_role[Role.HEADTEACHER],
            kind=HelpRequest.Kind.ADVICE,
            need="Advice on updating our searching and confiscation policy.",
            status=HelpRequest.Status.CLOSED,
            answer="Met the head on the day; the policy now follows the DfE guidance.",
            answered_by=officer,
            answered_at=now,
            engagement=engagement,
            closed_by=officer,
            closed_at=now,
        )
    )
    for row in rows:
        row.full_clean()
        row.save()
    return f"{len(rows)} requests for help"
