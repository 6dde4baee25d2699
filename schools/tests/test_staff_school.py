"""The school staff's school, its term and named contact: read once a request, in one query."""

import datetime

import pytest
from django.utils import timezone

from schools.models import NamedContact, Term
from schools.staff import school_of

from .factories import NamedContactFactory

pytestmark = pytest.mark.django_db


def test_one_query_gives_the_school_its_term_and_contact_in_post(world, django_assert_num_queries):
    today = timezone.localdate()
    school = world.schools["a1"]
    Term.current_for(school.force, on=today)  # the force's terms exist
    term = Term.objects.filter(force=school.force).containing(today).get()
    NamedContact.objects.filter(school=school).update(starts_on=today - datetime.timedelta(days=90))
    NamedContactFactory(  # an earlier contact, ended: not the one in post
        school=school,
        officer=world.sso,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=100),
    )
    with django_assert_num_queries(1):
        found = school_of(world.dsl)
        assert found == school
        assert found.force == school.force
        assert found.named_contact.officer == world.neighbourhood
        assert (found.current_term.pk, found.current_term.starts_on) == (term.pk, term.starts_on)
    with django_assert_num_queries(0):  # the same request asks again
        assert school_of(world.dsl) is found


def test_no_contact_in_post_and_nobody_but_school_staff(world):
    assert school_of(world.other_school_headteacher).named_contact is None
    assert school_of(world.sso) is None
    assert school_of(world.partner) is None
