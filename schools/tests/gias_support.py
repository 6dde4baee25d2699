"""What the GIAS import tests compare before and after an import."""

from accounts.models import AuditEntry, Organisation
from schools.models import School


def record_counts():
    """Return how many of each record there are, to prove a failed import saved nothing."""
    return (
        School.objects.count(),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
        list(School.objects.order_by("pk").values_list("pk", "name", "status", "updated")),
    )
