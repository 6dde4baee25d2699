"""The signing-certificate command makes a self-signed pair per force and keeps an existing one."""

import io

import pytest
from django.core.management import call_command

from agreements.seal import signing_dir

pytestmark = pytest.mark.django_db


def test_signing_cert_command(world):
    out = io.StringIO()
    call_command("agreements_signing_cert", "a-force", stdout=out)
    cert = signing_dir(world.forces["a"]) / "cert.pem"
    assert cert.exists() and "a-force" in str(cert)
    before = cert.read_bytes()
    call_command("agreements_signing_cert", "a-force", stdout=out)
    assert cert.read_bytes() == before
    call_command("agreements_signing_cert", "a-force", "--replace", stdout=out)
    assert cert.read_bytes() != before


def test_without_auto_create_a_missing_certificate_is_an_error(world, settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from agreements.seal import signing_material

    settings.AGREEMENTS_SIGNING_DIR = tmp_path / "none"
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = False
    with pytest.raises(ImproperlyConfigured):
        signing_material(world.forces["a"])
