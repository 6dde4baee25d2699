"""The dashboards, in the order of their tabs; each builds its tables from a Scope."""

from collections.abc import Callable
from dataclasses import dataclass

from .figures import agreements, education, engagement, incidents, partnership, referrals, tiers


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable  # (scope) -> list[Table]
    summary: str
    headlines: Callable | None = None  # (scope) -> [(label, number)], for the steering report


SECTIONS = [
    Section(
        "tiers",
        "Tiers",
        tiers.build,
        "Where every school stands: tiers by area, type and phase, changes and reviews due.",
        tiers.headlines,
    ),
    Section(
        "engagement",
        "Contacts and engagement",
        engagement.build,
        "Named contacts, and this term's engagement against each tier's promise.",
        engagement.headlines,
    ),
    Section(
        "agreements",
        "Agreements",
        agreements.build,
        "MoU coverage: active, waiting for a signature, review due or overdue, ended, none; "
        "by local authority and tier.",
        agreements.headlines,
    ),
    Section(
        "referrals",
        "Referrals",
        referrals.build,
        "Casework in numbers: open cases by risk, team and officer; referrals received, "
        "decided and allocated; action plans; outcomes. No young person is named here.",
        referrals.headlines,
    ),
    Section(
        "incidents",
        "Incidents",
        incidents.build,
        "Incidents schools reported under the protocol: by kind against the period before, "
        "where they happened, where they stand and their outcomes. No pupil is named here.",
        incidents.headlines,
    ),
    Section(
        "education",
        "Education",
        education.build,
        "Safety-education sessions: delivered by topic and provider, schools reached by tier, "
        "requests against what is offered, and what schools said of them.",
        education.headlines,
    ),
    Section(
        "partnership",
        "Partnership cycle",
        partnership.build,
        "Levels agreed with schools or in discussion, and the action plans' progress.",
        partnership.headlines,
    ),
]
BY_KEY = {section.key: section for section in SECTIONS}


def sections_for(user):
    return [s for s in SECTIONS if user.has_perm("reporting.view_dashboards", s.key)]
