"""What clears the values schools caches: the current term (Term.current_for), read on most
police pages, is cleared by any change to a term of its force. No list of schools is cached."""

from accounts.caching import clear_on_change, invalidate_on_commit


def _term_changed(sender, instance, **kwargs):
    from .models import TERMS_TOPIC

    invalidate_on_commit(TERMS_TOPIC, instance.force_id)


def connect() -> None:
    """Clear a force's cached current term whenever one of its terms changes."""
    from .models import Term

    clear_on_change(_term_changed, (Term,), uid="schools.terms")
