"""Demo bookings for `manage.py seed_demo`."""


def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo bookings once; return a short summary ("12 …") for the report."""
    return ""
