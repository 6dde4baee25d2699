import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Force, Invitation, Organisation, Role, Team, User


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Force {n}")
    slug = factory.Sequence(lambda n: f"force-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    force = factory.SubFactory(ForceFactory)
    kind = Organisation.Kind.POLICE
    name = factory.Sequence(lambda n: f"Organisation {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    force = factory.SubFactory(ForceFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.NEIGHBOURHOOD


class UserFactory(factory.django.DjangoModelFactory):
    """A person; police users get a TOTP authenticator unless mfa=False."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SAFER_SCHOOLS_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def mfa(user, create, extracted, **kwargs):
        wanted = user.requires_mfa if extracted is None else extracted
        if create:
            user.save()
            if wanted:
                TOTP.activate(user, generate_totp_secret())


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SAFER_SCHOOLS_OFFICER
    invited_by = factory.SubFactory(
        UserFactory, role=Role.FORCE_ADMIN, organisation=factory.SelfAttribute("..organisation")
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + Invitation.VALID_FOR)
