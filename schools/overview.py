"""What a supervisor oversees: the open schools of their teams or force, and officers' loads."""

from django.db.models import Count

from accounts.models import Role

from .models import NamedContact, School


def schools_overseen(user):
    """The open schools a supervisor answers for, and how a page names them.

    A sergeant answers for the schools of the teams they lead; a manager for the force's.
    """
    schools = School.objects.visible_to(user).open()
    if user.role == Role.SERGEANT:
        return schools.led_by(user), "your teams"
    return schools, "the force"


def officer_loads(user, schools) -> list[dict]:
    """Each officer's current schools among `schools`, by phase, most loaded first."""
    load = (
        NamedContact.objects.visible_to(user)
        .current()
        .filter(school__in=schools)
        .values("officer", "officer__full_name", "officer__rank", "officer__role", "school__phase")
        .annotate(total=Count("pk"))
        .order_by("officer__full_name", "school__phase")
    )
    officers = {}
    phase_labels = dict(School.Phase.choices)
    for row in load:
        entry = officers.setdefault(
            row["officer"],
            {
                "name": f"{row['officer__rank']} {row['officer__full_name']}".strip(),
                "total": 0,
                "phases": [],
            },
        )
        entry["total"] += row["total"]
        entry["phases"].append(
            f"{phase_labels.get(row['school__phase'], row['school__phase'])} {row['total']}"
        )
    return sorted(officers.values(), key=lambda o: -o["total"])
