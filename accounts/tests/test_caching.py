"""Per-force caching: values are reused, and invalidation is per topic, per force, on commit."""

import pytest
from django.db import transaction

from accounts import caching


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_value_is_computed_once_then_reused():
    compute = Counter()
    assert caching.cached("topic", 1, ("a",), compute) == 1
    assert caching.cached("topic", 1, ("a",), compute) == 1
    assert compute.calls == 1


def test_other_parts_forces_and_topics_are_separate_values():
    compute = Counter()
    caching.cached("topic", 1, ("a",), compute)
    caching.cached("topic", 1, ("b",), compute)
    caching.cached("topic", 2, ("a",), compute)
    caching.cached("other", 1, ("a",), compute)
    assert compute.calls == 4


def test_invalidating_one_force_keeps_the_others():
    compute = Counter()
    caching.cached("topic", 1, (), compute)
    caching.cached("topic", 2, (), compute)
    caching.invalidate("topic", 1)
    assert caching.cached("topic", 1, (), compute) == 3
    assert caching.cached("topic", 2, (), compute) == 2


def test_a_value_under_several_topics_is_invalidated_by_any_of_them():
    compute = Counter()
    caching.cached(("tiers", "engagements"), 1, (), compute)
    caching.invalidate("engagements", 1)
    caching.cached(("tiers", "engagements"), 1, (), compute)
    assert compute.calls == 2


def test_none_is_cached_like_any_other_value():
    calls = []
    caching.cached("topic", 1, (), lambda: calls.append(1))
    caching.cached("topic", 1, (), lambda: calls.append(1))
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_invalidation_is_immediate_and_again_at_the_commit():
    compute = Counter()
    caching.cached("topic", 1, (), compute)
    with transaction.atomic():
        caching.invalidate_on_commit("topic", 1)
        # The writer's own transaction reads fresh values at once...
        assert caching.cached("topic", 1, (), compute) == 2
        # ...and what anyone cached before the commit (from data without this write) is
        # dropped when it commits.
        assert caching.cached("topic", 1, (), compute) == 2
    assert caching.cached("topic", 1, (), compute) == 3


def test_invalidating_everything_clears_every_topic_of_that_force_only():
    compute = Counter()
    caching.cached("one", 1, (), compute)
    caching.cached("two", 1, (), compute)
    caching.cached("one", 2, (), compute)
    caching.invalidate_everything(1)
    caching.cached("one", 1, (), compute)
    caching.cached("two", 1, (), compute)
    caching.cached("one", 2, (), compute)
    assert compute.calls == 5


def test_list_parameters_keep_only_the_pages_own():
    from django.http import QueryDict

    from accounts.caching import list_parameters

    params = QueryDict("q=oak&utm_source=mail&la=835&la=836&page=3&sort=name")
    kept, query = list_parameters(params, ["q", "la", "sort", "phase"])
    assert query == "q=oak&la=835&la=836&sort=name"
    assert kept.getlist("la") == ["835", "836"] and "page" not in kept
    assert list_parameters(QueryDict("utm=1"), ["q"]) == (QueryDict(), "")


def test_clear_on_change_connects_each_model_once(world):
    from django.db.models.signals import post_delete, post_save

    from accounts.caching import clear_on_change
    from accounts.models import Team

    calls = []

    def receiver(sender, instance, **kwargs):
        calls.append(sender)

    try:
        clear_on_change(receiver, (Team,), uid="test.clear_on_change")
        clear_on_change(receiver, (Team,), uid="test.clear_on_change")  # again: nothing added
        team = world.teams["npt_a"]
        post_save.send(sender=Team, instance=team, created=False)
        post_delete.send(sender=Team, instance=team)
        assert calls == [Team, Team]
    finally:
        for signal, kind in ((post_save, "save"), (post_delete, "delete")):
            signal.disconnect(
                sender=Team, dispatch_uid=f"test.clear_on_change.accounts.Team.{kind}"
            )
