"""A page whose panels each list records logs them all in one insert."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import audit
from accounts.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_the_block_writes_every_panels_entries_in_one_insert(world):
    people = [world.dsl, world.headteacher, world.sso]
    with CaptureQueriesContext(connection) as captured, audit.accesses_in_one_insert():
        audit.record_accesses(actor=world.admin, targets=people[:2], action="listed")
        audit.record_accesses(actor=world.admin, targets=people[2:], action="listed")
        with audit.accesses_in_one_insert():  # an inner block leaves it to the outer one
            audit.record_accesses(actor=world.admin, targets=people[:1], action="listed")
        assert not AccessLogEntry.objects.exists()
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert AccessLogEntry.objects.filter(actor=world.admin, action="listed").count() == 4


def test_nothing_is_logged_when_the_page_fails(world):
    with pytest.raises(RuntimeError), audit.accesses_in_one_insert():
        audit.record_accesses(actor=world.admin, targets=[world.dsl], action="listed")
        raise RuntimeError
    assert not AccessLogEntry.objects.exists()
