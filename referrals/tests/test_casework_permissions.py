"""Who may open each page of casework's safeguards (#22 items 4-8): every role, the
unallocated officer, another school, another force. Each URL of referrals.casework_urls has
rows; test_every_casework_url_has_rows fails when one does not."""

import datetime

import pytest
from django.urls import URLPattern, reverse

from accounts.models import Team
from accounts.tests.factories import TeamFactory
from referrals import casework, casework_urls
from referrals.models import InterventionService, LawfulBasis, SafetyPlanFactor
from tests.matrix import BAD, DENIED, HIDDEN, OK, REDIRECT, Row, check

from .conftest import make_case
from .test_permissions import rows

pytestmark = pytest.mark.django_db

WORKERS = (
    "neighbourhood",
    "sergeant",
    "manager",
)  # the allocated officer, their sergeant, managers
RUNS_FORCE = ("manager", "admin", "other_force_manager", "other_force_admin")


@pytest.fixture
def objs(world):
    case = make_case(world)
    LawfulBasis.objects.ensure_defaults(world.forces["a"])
    basis = LawfulBasis.objects.filter(force=world.forces["a"]).first()
    service = InterventionService.objects.create(
        force=world.forces["a"], name="Mentoring", kind="mentoring", criteria="11-18", area="All"
    )
    signposting = casework.case_signpost(
        case=case, by=world.neighbourhood, service=service, signposted_on=datetime.date.today()
    )
    flag = casework.case_flag(
        case=case, by=world.neighbourhood, message="Court", flag_on=datetime.date.today()
    )
    asked = casework.closure_request(
        case=case, by=world.neighbourhood, outcome="other", summary="Done"
    )
    plan = casework.safety_plan_save(
        case=case, by=world.neighbourhood, review_on=datetime.date.today()
    )
    factor = casework.safety_plan_add_factor(
        plan=plan, by=world.neighbourhood, kind=SafetyPlanFactor.Kind.RISK, description="Park"
    )
    step = casework.safety_plan_add_step(
        plan=plan, by=world.neighbourhood, factor=factor, who="Mum", what="Collects"
    )
    team_b = TeamFactory(
        force=world.forces["b"], name="Wessex Safer Schools", kind=Team.Kind.SAFER_SCHOOLS
    )
    world.other_force_sso.team = team_b
    world.other_force_sso.save()
    moving = make_case(world)
    receipt = casework.transfer_request(
        case=moving,
        by=world.neighbourhood,
        reason="Year 7 in Wessex",
        consent={"young_person": "agrees", "parents": "agrees"},
        to_team=team_b,
    ).receipt
    return {
        "receipt": receipt,
        "case": case,
        "basis": basis,
        "service": service,
        "signposting": signposting,
        "flag": flag,
        "asked": asked,
        "step": step,
    }


def _url(name, case, *args):
    return reverse(f"referrals:{name}", args=[case.public_id, *args])


def _force_page(name, *args, ok=RUNS_FORCE):
    """A page of the force's own lists: its people in `ok`, the rest 403 (a record of
    another force is a 404, below)."""
    return lambda world, o: rows("GET", reverse(f"referrals:{name}", args=args), ok, others=DENIED)


PAGES = {
    "without_consent_list": lambda world, o: rows(
        "GET",
        reverse("referrals:without_consent_list"),
        ("sergeant", "manager", "other_force_manager"),
        others=DENIED,
    ),
    "casework_settings": _force_page("casework_settings"),
    "lawful_basis_create": _force_page("lawful_basis_create"),
    "lawful_basis_edit": lambda world, o: rows(
        "GET",
        reverse("referrals:lawful_basis_edit", args=[o["basis"].pk]),
        ("manager", "admin"),
        others=DENIED,
        extra={"other_force_manager": HIDDEN, "other_force_admin": HIDDEN},
    ),
    "closure_requests_waiting": lambda world, o: rows(
        "GET",
        reverse("referrals:closure_requests_waiting"),
        ("sergeant", "manager", "other_force_manager"),
        others=DENIED,
    ),
    "closure_request": lambda world, o: rows("GET", _url("closure_request", o["case"]), WORKERS),
    "closure_decide": lambda world, o: rows(
        "GET", _url("closure_decide", o["case"], o["asked"].pk), ("sergeant", "manager")
    ),
    "case_flag": lambda world, o: rows("GET", _url("case_flag", o["case"]), WORKERS),
    "flag_resolve": lambda world, o: rows(
        "GET", _url("flag_resolve", o["case"], o["flag"].pk), WORKERS
    ),
    "service_directory": lambda world, o: rows(
        "GET",
        reverse("referrals:service_directory"),
        ("sso", "neighbourhood", "sergeant", "manager", "admin", "other_force_sso")
        + ("other_force_manager", "other_force_admin"),
        others=DENIED,
    ),
    "service_create": _force_page("service_create"),
    "service_edit": lambda world, o: rows(
        "GET",
        reverse("referrals:service_edit", args=[o["service"].pk]),
        ("manager", "admin"),
        others=DENIED,
        extra={"other_force_manager": HIDDEN, "other_force_admin": HIDDEN},
    ),
    "case_signpost": lambda world, o: rows("GET", _url("case_signpost", o["case"]), WORKERS),
    "signposting_outcome": lambda world, o: rows(
        "GET", _url("signposting_outcome", o["case"], o["signposting"].pk), WORKERS
    ),
    "safety_plan": lambda world, o: rows("GET", _url("safety_plan", o["case"]), WORKERS),
    "safety_plan_print": lambda world, o: rows(
        "GET", _url("safety_plan_print", o["case"]), WORKERS
    ),
    "safety_plan_review": lambda world, o: rows(
        "GET", _url("safety_plan_review", o["case"]), WORKERS
    ),
    "safety_plan_factor": lambda world, o: rows(
        "GET", _url("safety_plan_factor", o["case"]), WORKERS
    ),
    "safety_plan_step": lambda world, o: rows("GET", _url("safety_plan_step", o["case"]), WORKERS),
    "safety_plan_step_done": lambda world, o: (
        rows(
            "POST",
            _url("safety_plan_step_done", o["case"], o["step"].pk),
            WORKERS,
            allowed=REDIRECT,
            data={"done": "1"},
        )
        + [Row("neighbourhood", "GET", _url("safety_plan_step_done", o["case"], o["step"].pk), BAD)]
    ),
    "transfer_request": lambda world, o: rows("GET", _url("transfer_request", o["case"]), WORKERS),
    "transfer_list": lambda world, o: rows(
        "GET",
        reverse("referrals:transfer_list"),
        ("sso", "neighbourhood", "sergeant", "manager", "other_force_sso", "other_force_manager")
        # A new school's DSL and headteacher read what they were told there.
        + ("dsl", "headteacher", "other_school_headteacher", "other_school_dsl")
        + ("other_force_headteacher",),
        others=DENIED,
    ),
    "transfer_receipt": lambda world, o: _receipt_rows(o, "transfer_receipt"),
    "transfer_accept": lambda world, o: _receipt_rows(o, "transfer_accept"),
    "transfer_decline": lambda world, o: _receipt_rows(o, "transfer_decline"),
}


def _receipt_rows(o, name):
    """The receipt is force B's (its team's officer and manager): the sending force, its
    schools and force B's people outside the team do not find it."""
    url = reverse(f"referrals:{name}", args=[o["receipt"].public_id])
    answers = name != "transfer_receipt"
    return rows(
        "GET",
        url,
        ("other_force_sso", "other_force_manager"),
        extra={"other_force_manager": DENIED if answers else OK},
        default_same_force=HIDDEN,
    )


def test_every_casework_url_has_rows():
    names = {p.name for p in casework_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(PAGES), f"URL names without rows: {sorted(names ^ set(PAGES))}"


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_casework_permission_matrix(client, world, objs, url_name):
    check(client, world, PAGES[url_name](world, objs))


def test_a_closed_case_takes_no_flags_signposting_or_plan(client, world, objs):
    case = objs["case"]
    casework.closure_approve(asked=objs["asked"], by=world.sergeant)
    client.force_login(world.neighbourhood)
    for name in ("case_flag", "case_signpost", "safety_plan_review", "closure_request"):
        assert client.get(_url(name, case)).status_code == 403, name
    assert client.get(_url("safety_plan", case)).status_code == 200  # still readable
