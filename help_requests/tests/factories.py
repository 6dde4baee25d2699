import factory

from help_requests.models import HelpRequest


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """An open request from a school; give `school` and `asked_by` (one of its staff)."""

    class Meta:
        model = HelpRequest

    school = None
    asked_by = None
    kind = HelpRequest.Kind.TALK
    need = "A talk to Year 8 about staying safe online."
