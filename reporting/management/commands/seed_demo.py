"""Load the demo forces, schools, teams, officers and one account of every role."""

import argparse
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.caching import invalidate_everything
from accounts.models import Force, Role, User
from benchmarks import national
from demo import accounts as accounts_demo
from demo import agreement_documents as agreement_documents_demo
from demo import agreements as agreements_demo
from demo import bookings as bookings_demo
from demo import help_requests as help_requests_demo
from demo import incidents as incidents_demo
from demo import needs_assessment as needs_assessment_demo
from demo import partnership as partnership_demo
from demo import referrals as referrals_demo
from demo import schools as schools_demo
from schools.models import NamedContact, School

# Dorset's URN range holds this many copies of its 319 establishments.
MAX_SCALE = (schools_demo.DORSET_LAST_URN - schools_demo.DORSET_FIRST_URN + 1) // sum(
    schools_demo.mix_counts(schools_demo.DORSET_MIX).values()
)


@dataclass(frozen=True)
class DemoArea:
    """A demo force and what it is seeded with."""

    force: accounts_demo.ForceSpec
    area: tuple
    mix: dict
    first_urn: int
    officers_per_team: int
    people: tuple


DORSET = DemoArea(
    force=accounts_demo.DORSET,
    area=schools_demo.DORSET_AREA,
    mix=schools_demo.DORSET_MIX,
    first_urn=schools_demo.DORSET_FIRST_URN,
    officers_per_team=6,
    people=(*accounts_demo.DEMO_PEOPLE, accounts_demo.OTHER_HEADTEACHER),
)
# A second, small force, to show that no one sees another force's records.
WESSEX = DemoArea(
    force=accounts_demo.WESSEX,
    area=schools_demo.WESSEX_AREA,
    mix=schools_demo.WESSEX_MIX,
    first_urn=schools_demo.WESSEX_FIRST_URN,
    officers_per_team=2,
    people=accounts_demo.DEMO_PEOPLE,
)


@dataclass
class SignIn:
    user: User
    totp_secret: str | None


def school_year_start(today: date) -> date:
    """Return 1 September of the school year that `today` falls in."""
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 9, 1)


def _demo_schools(specs):
    """Return the specs of the demo school and of the other headteacher's school."""
    secondary = [s for s in specs if s.phase == School.Phase.SECONDARY]
    in_last_la = [s for s in secondary if s.la_code == specs[-1].la_code]
    demo = next(
        (s for s in in_last_la + secondary if not s.safer_schools_contact),
        specs[0],
    )
    other = next(
        (s for s in specs if s.phase == School.Phase.PRIMARY and s.urn != demo.urn),
        next(s for s in specs if s.urn != demo.urn),
    )
    return demo, other


def seed_area(
    demo: DemoArea, *, scale: int, password_hash: str, today: date
) -> tuple[list[SignIn], dict]:
    """Seed one force; return its sign-ins and a summary of its records."""
    spec = demo.force
    records = accounts_demo.seed_force(spec)
    force = records.force
    teams = accounts_demo.seed_teams(force, schools_demo.neighbourhood_team_names(demo.area))
    officers = accounts_demo.seed_officers(
        spec, records.police, teams, per_team=demo.officers_per_team * scale
    )
    school_specs = schools_demo.build_school_specs(
        demo.area, demo.mix, first_urn=demo.first_urn, scale=scale
    )
    schools = schools_demo.seed_schools(force, school_specs, teams=teams)
    demo_school_spec, other_school_spec = _demo_schools(school_specs)
    demo_school, other_school = schools[demo_school_spec.urn], schools[other_school_spec.urn]

    organisations = {
        "police": records.police,
        "partner": records.partners[0],
        "agency": records.agencies[0],
        "school": demo_school.organisation,
        "other_school": other_school.organisation,
    }
    team_keys = {
        "safer_schools": teams[accounts_demo.SAFER_SCHOOLS_TEAM],
        "school_area": teams[demo_school_spec.team],
        "": None,
    }
    people = {}
    for person in demo.people:
        if person.role == Role.HEADTEACHER:
            school = demo_school if person.place == "school" else other_school
            # The head's account carries the name the school's register gives, without title.
            full_name = school.headteacher_name.split(" ", 1)[-1]
        else:
            full_name = accounts_demo.demo_person_name(spec, person)
        people[person] = accounts_demo.seed_person(
            spec,
            person,
            organisation=organisations[person.place],
            team=team_keys[person.team],
            full_name=full_name,
            password_hash=password_hash,
        )

    by_role = {
        person.role: user for person, user in people.items() if person.place != "other_school"
    }
    sso = by_role[Role.SAFER_SCHOOLS_OFFICER]
    neighbourhood = by_role[Role.NEIGHBOURHOOD_OFFICER]
    neighbourhood_officers = {
        name: ([neighbourhood] if name == demo_school_spec.team else []) + team_officers
        for name, team_officers in officers.items()
    }
    named = schools_demo.seed_named_contacts(
        schools,
        school_specs,
        neighbourhood_officers=neighbourhood_officers,
        safer_schools_officers=[sso, *officers[accounts_demo.SAFER_SCHOOLS_TEAM]],
        starts_on=school_year_start(today),
        chosen={demo_school.urn: neighbourhood},
    )

    assessments = needs_assessment_demo.seed_assessments(
        force,
        assessor=by_role[Role.SERGEANT],
        approver=by_role[Role.PREVENTION_MANAGER],
        today=today,
    )
    schools_demo.seed_school_contacts(demo_school, list(people.values()))
    engagements = schools_demo.seed_engagements(
        schools, since=school_year_start(today), today=today
    )

    # The later apps seed after schools, contacts and tiers, which they build on.
    later = [
        app_demo.seed(
            force,
            by_role=by_role,
            partners=records.partners,
            demo_school=demo_school,
            other_school=other_school,
            schools=schools,
            today=today,
        )
        for app_demo in (
            incidents_demo,
            agreement_documents_demo,
            agreements_demo,
            referrals_demo,
            bookings_demo,
            help_requests_demo,
            partnership_demo,
        )
    ]

    sign_ins = []
    for user in people.values():
        secret = accounts_demo.seed_totp(user) if user.requires_mfa else None
        sign_ins.append(SignIn(user=user, totp_secret=secret))
    summary = {
        "force": force,
        "schools": len(schools),
        "officers": User.objects.filter(
            email__endswith=f"@{spec.officer_email_domain}", organisation=records.police
        ).count(),
        "named_contacts_added": named,
        "engagements_added": engagements,
        "assessments_added": assessments,
        "demo_school": demo_school,
        "later": [line for line in later if line],
    }
    return sign_ins, summary


def scale_argument(value: str):
    """Parse --scale: a whole number, or "national"."""
    if value.strip().lower() == "national":
        return "national"
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is neither a whole number nor 'national'."
        ) from None


class Command(BaseCommand):
    help = (
        "Load demo data: Dorset Police with its schools, teams and officers, a small second "
        "force, and one account of every role. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=scale_argument,
            default=1,
            help=(
                f"Multiply Dorset's schools and officers (1 to {MAX_SCALE}), or 'national': add "
                "the other 41 forces of England and Wales, about 25,000 schools, 1,000 officers "
                "and 1,000,000 engagements over five years, for benchmarks (a few minutes)."
            ),
        )

    def handle(self, *args, scale, **options):
        is_national = scale == "national"
        if is_national:
            scale = 1
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE}.")
        try:
            password, password_source = accounts_demo.demo_password()
        except ValueError as error:
            raise CommandError(str(error)) from None

        started = time.monotonic()
        today = timezone.localdate()
        emails = [
            accounts_demo.demo_email(area.force, person)
            for area in (DORSET, WESSEX)
            for person in area.people
        ]
        # The services the seeders call send emails; the demo throws them away.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            password_hash = accounts_demo.demo_password_hash(password, emails)
            results = [
                seed_area(area, scale=area_scale, password_hash=password_hash, today=today)
                for area, area_scale in ((DORSET, scale), (WESSEX, 1))
            ]
        self.report(results, password, password_source, time.monotonic() - started)
        if is_national:
            self.seed_national(today)
        # The seeders write in bulk, which sends none of the signals that clear cached lists.
        for force_id in Force.objects.values_list("pk", flat=True):
            invalidate_everything(force_id)
        # Fresh tables have no statistics until autovacuum reaches them (and none at all inside
        # a test's transaction): without them PostgreSQL plans the lists' queries as if every
        # table were empty, and a filtered school list can take seconds. Gather them now.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def seed_national(self, today):
        write = self.stdout.write
        started = time.monotonic()
        write("")
        write(self.style.MIGRATE_HEADING("National scale: the other forces of England and Wales"))
        national.seed_national(today=today, log=write)
        totals = ", ".join(f"{n:,} {what}" for what, n in national.totals().items())
        write(self.style.SUCCESS(f"National data is ready ({time.monotonic() - started:.0f} s)."))
        write(f"In the database: {totals}.")

    def report(self, results, password, password_source, seconds):
        write = self.stdout.write
        write(self.style.SUCCESS(f"Demo data is ready ({seconds:.1f} s)."))
        for _sign_ins, summary in results:
            write(
                f"  {summary['force']}: {summary['schools']} schools, {summary['officers']} "
                f"generated officers and sergeants, {summary['named_contacts_added']} named "
                f"contacts, {summary['engagements_added']} engagements and "
                f"{summary['assessments_added']} assessments added; demo school: {summary['demo_school']} "
                f"(URN {summary['demo_school'].urn})."
            )
            for line in summary["later"]:
                write(f"    {line}")
        write("")
        write(f"Sign in at {settings.SITE_URL}{reverse('account_login')}")
        if password == accounts_demo.DEBUG_DEMO_PASSWORD:
            write(f"Password of every demo account: {password} ({password_source})")
        else:
            write(f"Password of every demo account: the one in {password_source}")
        police_email = None
        for sign_ins, summary in results:
            write("")
            write(self.style.MIGRATE_HEADING(str(summary["force"])))
            width = max(len(s.user.email) for s in sign_ins)
            for sign_in in sign_ins:
                user = sign_in.user
                line = (
                    f"  {user.email:<{width}}  {user.get_role_display():<30}  {user.organisation}"
                )
                if sign_in.totp_secret:
                    line += f"  [TOTP secret {sign_in.totp_secret}]"
                    police_email = police_email or user.email
                write(line)
        write("")
        write(
            "Police accounts and administrators must pass MFA: type their TOTP secret into an "
            "authenticator app, or print the current 6-digit code with"
        )
        write(f"  make totp EMAIL={police_email}")
        write(f"  python manage.py totp_code {police_email}")
        write(
            f"{NamedContact.objects.count()} named contacts and "
            f"{User.objects.count()} accounts in the database."
        )
