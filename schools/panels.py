"""Sections and figures that later apps add to the school page, without schools importing them.

An app registers a panel in its AppConfig.ready(); the school page asks each panel
for its context and shows those that answer (a panel returns None to stay hidden,
for example when the viewer may not see it).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable  # (request, school) -> dict | None
    order: int = 100


_panels: list[Panel] = []
_promise_providers: list = []
_annotators: list = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request, school) -> list[tuple[str, dict]]:
    """Return (template, context) for each panel this viewer may see, in order."""
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(request, school)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def register_annotations(provider) -> None:
    """Register provider(request) -> {name: expression}: what a panel reads with the school in
    the school page's own query (in its AppConfig.ready()), rather than in a query of its own.
    Expressions may use OuterRef("pk") and OuterRef("force_id") of the school."""
    if provider not in _annotators:
        _annotators.append(provider)


def annotations_for(request) -> dict:
    """Return the registered expressions to read with the school page's school."""
    return {k: v for provider in _annotators for k, v in provider(request).items()}


def register_promise(provider) -> None:
    """Register provider(school, term) -> int | None: engagements the school's tier promises."""
    if provider not in _promise_providers:
        _promise_providers.append(provider)


def promised_for(school, term) -> int | None:
    """Return the engagements promised to the school in the term, or None when nothing says."""
    for provider in _promise_providers:
        promised = provider(school, term)
        if promised is not None:
            return promised
    return None


@dataclass(frozen=True)
class ListFilter:
    """A filter of the school list that a later app adds (tier, MoU status…)."""

    name: str
    label: str
    choices: Callable  # (user) -> [(value, label), ...]
    apply: Callable  # (queryset, value) -> queryset, or (queryset, value, user=) with_user
    with_user: bool = False
    # A filter over a period (schools reached by a session in it): also given since= and
    # until=, the list's period (dates), and not applied without both.
    period: bool = False


_list_filters: list[ListFilter] = []


def register_list_filter(list_filter: ListFilter) -> None:
    if all(f.name != list_filter.name for f in _list_filters):
        _list_filters.append(list_filter)


def list_filters() -> list[ListFilter]:
    return list(_list_filters)
