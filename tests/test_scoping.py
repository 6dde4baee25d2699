"""Every record a user can reach is scoped one way: its model's QuerySet subclasses
ScopedQuerySet and its model names its `force_path` once; views start from `visible_to`.

These tests read the models and the views' source, so a new model or a new view that
forgets the habit fails here rather than in a security review.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist

from accounts.models import Force, ScopedQuerySet
from accounts.rules import force_id_of

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APPS = (
    "accounts",
    "schools",
    "incidents",
    "localcrime",
    "needs_assessment",
    "agreements",
    "referrals",
    "bookings",
    "help_requests",
    "partnership",
    "reporting",
)

# Models no person reads: the reminder jobs' idempotency keys (one row per reminder sent,
# so beat sending twice is a no-op). No page, panel or export lists them. They still name
# their force_path, so the audit trail and the dashboards' cache find their force.
NOT_READ_BY_ANYONE = {
    "agreements.ReviewReminder",
    "agreements.SignatureReminder",
    "agreements.ProviderSignatureReminder",
    "agreements.DocumentReminder",
    "referrals.ReminderSent",
    "bookings.ReminderSent",
}


def project_models():
    for label in PROJECT_APPS:
        yield from apps.get_app_config(label).get_models()  # through tables left out


def reachable_models():
    return [m for m in project_models() if m._meta.label not in NOT_READ_BY_ANYONE]


def resolve_force_path(model):
    """Walk the model's `force_path` field by field; return the field it ends on."""
    parts = model.force_path.split("__")
    for part in parts[:-1]:
        field = model._meta.get_field(part)
        assert field.many_to_one or field.one_to_one, f"{model.__name__}: {part} is no relation"
        assert not field.auto_created, f"{model.__name__}: {part} is a reverse relation"
        model = field.related_model
    last = parts[-1]
    if model is Force:
        assert last in ("id", "pk"), f"force_path ends on Force.{last}"
        return Force._meta.pk
    field = next((f for f in model._meta.concrete_fields if f.attname == last), None)
    if field is None:
        raise FieldDoesNotExist(f"{model.__name__} has no field {last}")
    assert field.related_model is Force, f"{model.__name__}.{last} does not point at a force"
    return field


def test_the_allow_list_names_real_models_only():
    labels = {m._meta.label for m in project_models()}
    assert labels >= NOT_READ_BY_ANYONE


@pytest.mark.parametrize("model", reachable_models(), ids=lambda m: m._meta.label)
def test_every_model_a_user_can_reach_is_scoped_by_its_force_path(model):
    queryset = model._default_manager.get_queryset()
    assert isinstance(queryset, ScopedQuerySet), f"{model._meta.label} is not a ScopedQuerySet"
    assert isinstance(model.objects.all(), ScopedQuerySet)
    resolve_force_path(model)
    # The one guard lives in ScopedQuerySet: no QuerySet writes its own visible_to.
    for klass in type(queryset).__mro__:
        if klass is ScopedQuerySet:
            break
        assert "visible_to" not in vars(klass), f"{klass.__name__} overrides visible_to"
    # The lookup compiles to SQL (a typo in force_path fails here too).
    str(model.objects.in_force(1).query)


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m._meta.label)
def test_every_model_names_how_it_reaches_its_force(model):
    """force_id_of (audit, rules, the dashboards' cache) walks this one path."""
    assert getattr(model, "force_path", ""), f"{model._meta.label} has no force_path"
    resolve_force_path(model)


@pytest.mark.django_db
def test_what_each_person_sees_is_of_their_own_force_only(world, settings, tmp_path):
    """Whatever narrow() says for a role, visible_to never gives another force's record, and
    gives nothing to someone signed out or disabled."""
    from reporting.tests.test_dashboard_cache import _one_of_each_counted_record

    settings.AGREEMENTS_SIGNING_DIR = tmp_path
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True
    _one_of_each_counted_record(world)  # force A's assessments, cases, bookings, agreements
    disabled = world.users["manager"]
    people = [u for key, u in world.users.items() if key != "manager"]
    disabled.is_active = False
    seen = set()
    for model in reachable_models():
        assert not model.objects.visible_to(AnonymousUser()).exists(), model
        assert not model.objects.visible_to(disabled).exists(), model
        for person in people:
            for record in model.objects.visible_to(person)[:50]:
                assert force_id_of(record) == person.force_id, (model, person.role)
                seen.add((model, person.force_id))
    # Force A's records were seen by someone (the check above was not vacuous).
    force_a = world.forces["a"].pk
    for label in ("referrals.Case", "bookings.Booking", "agreements.Signature"):
        assert (apps.get_model(label), force_a) in seen, label
    # The world holds two forces' schools, people and teams: each side sees its own.
    school_model = apps.get_model("schools", "School")
    mine = set(school_model.objects.visible_to(world.users["admin"]))
    assert world.schools["a1"] in mine and world.schools["b1"] not in mine


# ---------------------------------------------------------------------------- the views

# Ways into a model's records that scope them to the reader as visible_to does: a case that
# exists for the reader (known_to: a 404 outside it, a 403 and a typed reason inside it),
# and the sessions a provider may change (managed_by). Querysets given to Prefetch are
# related sets of records the view already scoped, and are allowed too.
SCOPED_ENTRY_POINTS = {"visible_to", "known_to", "managed_by"}

# Where a view reads a model without visible_to, and why that is safe. Keyed by the view
# module and the model; a new pair fails the test until it is scoped or explained here.
# (A view that reads a scoped record's related set goes through the record instead:
# `school.engagements`, `case.actions`, `session.slots`.)
_OWN_HISTORY = "the audit and access history of the one record whose page the reader opened"
_FEED = "the public calendar feed, which calendar apps read without signing in: its secret token is the key"
VIEW_EXCEPTIONS = {
    ("accounts/views.py", "AuditEntry"): _OWN_HISTORY,
    ("referrals/case_views.py", "AuditEntry"): _OWN_HISTORY,
    ("referrals/case_views.py", "AccessLogEntry"): _OWN_HISTORY,
    ("referrals/case_views.py", "ReferralShare"): (
        "the school shares of the referrals of a case the reader opened, perhaps with a reason"
        " (known_to): Referral.visible_to would hide them from an officer reading it so"
    ),
    ("agreements/views.py", "Agreement"): (
        "the renewal of an agreement the reader opened (shown to its school even as a draft),"
        " and the check of an uploaded PDF against the reader's force's sealed agreements"
    ),
    ("agreements/views.py", "ProviderAgreement"): (
        "the check of an uploaded PDF against the reader's force's sealed provider agreements"
        " (whether it may open the one found is asked of its permission)"
    ),
    ("bookings/manage_views.py", "CalendarFeed"): _FEED,
    ("bookings/manage_views.py", "Slot"): _FEED,
    (
        "bookings/manage_views.py",
        "Framework",
    ): "the force's chosen framework's tiers, to target a session",
    ("bookings/manage_views.py", "Evaluation"): (
        "the force-wide evaluation figures every provider of the force is shown (no comments)"
    ),
    # Catalogue and bookings list helpers, being rewritten as filtersets (#16.3):
    ("bookings/views.py", "School"): "a member of school staff's own school",
    ("schools/views.py", "Term"): (
        "a subquery correlated to the school the page already read through visible_to "
        "(its force's term today)"
    ),
    ("schools/views.py", "NamedContact"): (
        "a subquery correlated to the school the page already read through visible_to "
        "(its contact today)"
    ),
    ("bookings/views.py", "Assessment"): (
        "the tier of the reader's own school, to suggest sessions (no evidence is shown)"
    ),
    ("bookings/views.py", "Slot"): "the dates of a session the reader opened through visible_to",
    # The assessment table's helpers, being rewritten as filtersets (#16.3):
    ("needs_assessment/table_views.py", "Framework"): "the force's chosen framework",
    ("needs_assessment/table_views.py", "School"): (
        "the force's open schools for the police-only table's filters and CSV template"
    ),
    ("benchmarks/views.py", "Force"): "the benchmark's floor page: one query by design",
    ("partnership/voice_views.py", "Survey"): (
        "the public, anonymous safety survey pupils, staff and parents answer without signing"
        " in: its secret token is the key"
    ),
}


def _view_modules():
    for path in sorted(ROOT.glob("*/*views*.py")):
        if path.parent.name in {"node_modules", "tests"}:
            continue
        yield path


def _unscoped_reads(path, model_names):
    """Yield (model, method, line) for each `Model.objects.<method>` not scoped to the reader."""
    tree = ast.parse(path.read_text())
    in_prefetch = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Prefetch":
            in_prefetch.update(id(sub) for sub in ast.walk(node))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in model_names
            and node.attr not in SCOPED_ENTRY_POINTS
            and id(node) not in in_prefetch
        ):
            yield node.value.value.id, node.attr, node.lineno


def test_views_read_user_facing_models_through_visible_to():
    model_names = {m.__name__ for m in project_models()}
    found, unexplained = set(), []
    for path in _view_modules():
        module = str(path.relative_to(ROOT))
        for model, method, line in _unscoped_reads(path, model_names):
            found.add((module, model))
            if (module, model) not in VIEW_EXCEPTIONS:
                unexplained.append(f"{module}:{line} {model}.objects.{method}")
    assert not unexplained, "Start from Model.objects.visible_to(user):\n" + "\n".join(unexplained)
    stale = set(VIEW_EXCEPTIONS) - found
    assert not stale, f"exceptions no view needs any more: {sorted(stale)}"


def test_the_view_check_catches_an_unscoped_read(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request):\n"
        "    School.objects.filter(pk=1)\n"
        "    School.objects.visible_to(request.user)\n"
        "    Prefetch('x', queryset=School.objects.all())\n"
    )
    assert list(_unscoped_reads(view, {"School"})) == [("School", "filter", 2)]
