"""Background jobs of local crime: thin shells that take primary keys."""

from celery import shared_task

# A national year is millions of rows: the load's limits are its own, inside the broker's
# visibility timeout.
IMPORT_SOFT_TIME_LIMIT = 8 * 60


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_SOFT_TIME_LIMIT + 60)
def check_crime_import(crime_import_pk: int) -> str:
    """Read an uploaded set of street-level files in full and store its preview."""
    from . import streetcrime

    try:
        summary = streetcrime.crime_import_check(crime_import_pk)
    except Exception:
        streetcrime.crime_import_fail(
            crime_import_pk,
            reason="Checking the files stopped before it finished. Upload them again; if it "
            "stops again, tell your administrator.",
        )
        raise
    return "nothing to do" if summary is None else f"{summary.rows} rows"


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_SOFT_TIME_LIMIT + 60)
def apply_crime_import(crime_import_pk: int, by_pk: int) -> str:
    """Load a confirmed upload, all or nothing; once, however often it is delivered."""
    from accounts.models import User

    from . import streetcrime

    try:
        summary = streetcrime.crime_import_apply(crime_import_pk, by=User.objects.get(pk=by_pk))
    except Exception:
        streetcrime.crime_import_fail(
            crime_import_pk,
            reason="The import stopped before it finished, so nothing was changed. "
            "Upload the files again; if it stops again, tell your administrator.",
        )
        raise
    return "nothing to do" if summary is None else f"{summary.added} rows added"


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_SOFT_TIME_LIMIT + 60)
def refresh_school_figures(force_pk: int) -> int:
    """Count again the crime near each of the force's schools (the summary table)."""
    from .figures import refresh_figures

    return refresh_figures(force_pk)
