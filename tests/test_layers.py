"""The apps are layers: an app imports only from the apps beneath it (docs/architecture.md).

accounts ← schools ← incidents, localcrime ← needs_assessment ← agreements, referrals, bookings
← help_requests, partnership ← reporting. An app reaching upwards makes a cycle waiting to
happen; what two apps share goes down to the lower one. Tests, migrations and management
commands are not the product's layers and are not checked (demo data and benchmarks live
outside the apps, in the demo and benchmarks packages).
"""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = {
    "accounts": 0,
    "schools": 1,
    "incidents": 2,
    "localcrime": 2,
    "needs_assessment": 3,
    "agreements": 4,
    "referrals": 4,
    "bookings": 4,
    "help_requests": 5,
    "partnership": 5,
    "reporting": 6,
}
SKIPPED_PARTS = {"tests", "migrations", "management"}


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]


def _upward_imports():
    root = Path(settings.BASE_DIR)
    for app, layer in LAYERS.items():
        for path in sorted((root / app).rglob("*.py")):
            parts = set(path.relative_to(root / app).parts)
            if parts & SKIPPED_PARTS:
                continue
            for imported in _imports(path):
                if LAYERS.get(imported, -1) > layer:
                    yield f"{path.relative_to(root)} imports {imported}"


def test_no_app_imports_from_an_app_above_it():
    assert list(_upward_imports()) == []
