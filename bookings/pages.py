"""What the bookings pages share: saving a posted form through a service."""

from django.core.exceptions import ValidationError

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
