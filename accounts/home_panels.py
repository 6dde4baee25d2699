"""Sections that later apps add to each role's home page, without reporting importing them.

An app registers a HomePanel in its AppConfig.ready(). The home page asks each panel
for its context with the signed-in user; a panel returns None to stay hidden (the
wrong role, or nothing to show). Each context function must cost a small, constant
number of queries: the home page is the most visited page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (user) -> dict | None
    order: int = 100


_panels: list[HomePanel] = []


def register(panel: HomePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(user) -> list[tuple[str, dict]]:
    """Return (template, context) for each panel this user sees, in order."""
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
