"""A framework as its page reads it: each tier's rule and offers, each factor's descriptors by tier,
each indicator's thresholds in words."""

from collections import defaultdict

from django.db.models import Prefetch

from .models import Descriptor, Framework, Level, ServiceOffer

COMPARISON_WORDS = {"above": "more than", "at_least": "at least", "below": "less than"}


def rule_text(level: Level, levels: list[Level], factor_names: dict[str, str]) -> list[str]:
    """Return the level's rule in plain words, one line per way a school reaches it."""
    if level.rank == min(lv.rank for lv in levels):
        return ["Every school the other tiers' rules do not reach"]
    lines = []
    if level.key_factors:
        names = [factor_names.get(key, key) for key in level.key_factors]
        lines.append(f"{' or '.join(names)} rated {level.name} or above")
    if level.min_factors:
        count = "Any factor" if level.min_factors == 1 else f"Any {level.min_factors} factors"
        lines.append(f"{count} rated {level.name} or above")
    if level.lifted_by_higher:
        lines.append(f"Any factor rated above {level.name}")
    return lines or ["No rule: no school is placed here"]


def threshold_text(thresholds: list[dict], level_names: dict[str, str], unit: str) -> list[str]:
    """Return each threshold as "Complex when more than 10 %"."""
    lines = []
    for threshold in thresholds:
        for comparison, words in COMPARISON_WORDS.items():
            if comparison in threshold:
                value = f"{threshold[comparison]}{' ' + unit if unit else ''}"
                name = level_names.get(threshold["level"], threshold["level"])
                lines.append(f"{name} when {words} {value}")
    return lines


def framework_sheet(framework: Framework) -> dict:
    """The tiers, factors, indicators, aims and expectations of a framework, ready to show."""
    levels = list(framework.levels.all())
    factors = list(
        framework.factors.prefetch_related(
            Prefetch("descriptors", queryset=Descriptor.objects.select_related("level"))
        )
    )
    factor_names = {f.key: f.name for f in factors}
    level_names = {level.key: level.name for level in levels}
    for level in levels:
        level.rule_lines = rule_text(level, levels, factor_names)
    for factor in factors:
        by_level = {d.level_id: d.text for d in factor.descriptors.all()}
        factor.cells = [by_level.get(level.pk, "") for level in levels]
    indicators = list(framework.indicators.select_related("factor"))
    for indicator in indicators:
        indicator.threshold_lines = threshold_text(
            indicator.thresholds, level_names, indicator.unit
        )
    offers = defaultdict(dict)
    for offer in framework.service_offers.select_related("level", "framework__force"):
        offers[offer.level_id][offer.phase_group] = offer
    for level in levels:
        level.offers = [offers[level.pk].get(group) for group, _ in ServiceOffer.PhaseGroup.choices]
    aims = list(framework.aims.all())
    expectations = list(framework.expectations.prefetch_related("levels"))
    return {
        "levels": levels,
        "factors": factors,
        "indicators": indicators,
        "aims": aims,
        "expectations": expectations,
    }
