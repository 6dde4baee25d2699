"""Fixtures of agreements: seal certificates in a temporary folder, and agreements at each step."""

import pytest
from django.core import mail

from agreements import services


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _signing_certificates_in_a_temporary_folder(settings, _signing_dir):
    settings.AGREEMENTS_SIGNING_DIR = _signing_dir
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True


def sign(agreement, user, **extra):
    """Sign as `user` with a typed name (and rank and collar number for officers)."""
    fields = {"typed_name": user.full_name, "confirmed": True}
    if not user.is_school_staff:
        fields.update(rank=user.rank or "PC", collar_number=user.collar_number or "1234")
    fields.update(extra)
    return services.agreement_sign(agreement=agreement, by=user, **fields)


@pytest.fixture
def school_first(world):
    """Force A has the headteacher sign first (the officer signs first by default)."""
    from agreements.models import AgreementSettings

    AgreementSettings.objects.filter(force=world.forces["a"]).update(signing_order="school_first")


@pytest.fixture
def draft(world, school_first):
    """A draft MoU for Alder Academy, prepared by its named contact (the neighbourhood officer),
    in a force where the headteacher signs first: the steps these fixtures walk."""
    return services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)


@pytest.fixture
def sent(draft, world):
    agreement = services.agreement_send(agreement=draft, by=world.neighbourhood)
    mail.outbox.clear()
    return agreement


@pytest.fixture
def active(sent, world, django_capture_on_commit_callbacks):
    """Signed by the headteacher and the officer, and sealed (the task runs after commit)."""
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    mail.outbox.clear()
    return sent
