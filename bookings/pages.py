"""What the bookings pages share: a record the user may act on, saving a posted form through
a service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from accounts.forms import add_validation_errors

from . import services

NOT_SAVED = object()


def save_posted(request, form, save, *, taken_field=None):
    """Run `save(form.cleaned_data)` when the request posts a valid form, and return what it
    returns. A ValidationError it raises is shown on the form (a place taken meanwhile, on
    `taken_field`); then, as when no valid form was posted, return NOT_SAVED: the page is
    shown (again) with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return NOT_SAVED
    try:
        return save(form.cleaned_data)
    except services.PlaceTaken:
        if taken_field is None:
            raise
        form.add_error(taken_field, f"{services.TAKEN_MESSAGE}. Choose another date")
    except ValidationError as error:
        add_validation_errors(form, error)
    return NOT_SAVED


def permitted_or_404(request, records, perm, **lookup):
    """The record of `records` (a queryset already narrowed with visible_to) that matches
    `lookup`, else a 404; the user must hold `perm` on it, else a 403."""
    record = get_object_or_404(records, **lookup)
    if not request.user.has_perm(perm, record):
        raise PermissionDenied
    return record
