"""How factor ratings become a tier: the one place the combining rule lives.

The rule, for every framework (its numbers are the framework's data):

1. An indicator with thresholds rates its factor: the first threshold its value passes
   (most intensive first) gives that indicator's level; a factor takes the most
   intensive level of its indicators unless the assessor rated it by hand.
2. Levels are ranked, 1 being the least intensive service. Going from the most
   intensive level down, a level applies when
   a. one of its key factors is rated at that level or above, or
   b. at least `min_factors` factors are rated at that level or above, or
   c. the level is `lifted_by_higher` and any factor is rated above it (in the three-tier
      matrix one Complex factor that is not a key factor makes a school Enhanced).
3. The first level that applies is the tier. When none does, the school is in the
   least intensive level (Universal, or level 5 of the national guidance).

For the three-tier matrix: Complex when the high-risk issues factor is rated Complex or
any two factors are; Enhanced when location is rated Enhanced or above, any two factors
are, or any one factor is Complex; otherwise Universal.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LevelRule:
    key: str
    rank: int
    key_factors: tuple[str, ...] = ()
    min_factors: int | None = None
    lifted_by_higher: bool = False


def indicator_level(thresholds: Iterable[Mapping], value: Decimal | float | None) -> str | None:
    """Return the level key the value reaches by the thresholds, or None when it passes none."""
    if value is None:
        return None
    value = Decimal(str(value))
    for threshold in thresholds:
        if "above" in threshold and value > Decimal(str(threshold["above"])):
            return threshold["level"]
        if "below" in threshold and value < Decimal(str(threshold["below"])):
            return threshold["level"]
        if "at_least" in threshold and value >= Decimal(str(threshold["at_least"])):
            return threshold["level"]
    return None


def factor_levels(
    manual: Mapping[str, str | None],
    from_indicators: Mapping[str, Iterable[str | None]],
    ranks: Mapping[str, int],
) -> dict[str, str | None]:
    """Return each factor's level key: the assessor's rating, else its most intensive indicator."""
    result = dict(manual)
    for factor, levels in from_indicators.items():
        if result.get(factor):
            continue
        reached = [level for level in levels if level]
        result[factor] = max(reached, key=lambda key: ranks[key]) if reached else None
    return result


def compute_level(levels: Iterable[LevelRule], ratings: Mapping[str, str | None]) -> str:
    """Return the key of the tier the ratings place a school in (see the module's rule)."""
    ordered = sorted(levels, key=lambda level: level.rank)
    if not ordered:
        raise ValueError("A framework needs at least one level.")
    ranks = {level.key: level.rank for level in ordered}
    rated = {factor: ranks[level] for factor, level in ratings.items() if level}
    for level in reversed(ordered):
        at_or_above = [factor for factor, rank in rated.items() if rank >= level.rank]
        if any(factor in level.key_factors for factor in at_or_above):
            return level.key
        if level.min_factors and len(at_or_above) >= level.min_factors:
            return level.key
        if level.lifted_by_higher and any(rank > level.rank for rank in rated.values()):
            return level.key
    return ordered[0].key
