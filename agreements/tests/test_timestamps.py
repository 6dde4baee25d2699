"""A trusted time: with the force's time-stamping authority configured, the seal carries an
RFC 3161 timestamp (tested with pyHanko's in-process DummyTimeStamper, no network) and its
validation data; the check page says whether the seal has one."""

import datetime
import io

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from agreements import seal as seal_module
from agreements.models import AgreementSettings
from agreements.render import render_agreement_pdf

from .test_pdf import pdf_bytes

pytestmark = pytest.mark.django_db


def local_tsa(trust_in=None):
    """A time-stamping authority that runs in this process; with `trust_in` (a force), its
    certificate is written as the force's trusted time-stamping root."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test time-stamping authority")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    if trust_in is not None:
        path = seal_module.signing_dir(trust_in) / seal_module.TSA_ROOTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


def _verify(client, data):
    return client.post(
        reverse("agreements:verify"),
        {"pdf": SimpleUploadedFile("agreement.pdf", data, content_type="application/pdf")},
    ).content.decode()


def test_the_force_configures_its_authority(world):
    force = world.forces["a"]
    assert seal_module.timestamper_for(force) is None
    AgreementSettings.objects.filter(force=force).update(timestamp_url="https://tsa.example.org/")
    timestamper = seal_module.timestamper_for(force)
    assert isinstance(timestamper, HTTPTimeStamper)
    assert timestamper.url == "https://tsa.example.org/"


def test_a_seal_with_a_timestamp_and_validation_data(world, active, client):
    tsa = local_tsa(trust_in=active.force)
    material = seal_module.signing_material(active.force)
    sealed = seal_module.seal_pdf(
        render_agreement_pdf(active),
        material,
        signer_name=active.force.name,
        timestamper=tsa,
        timestamp_roots=seal_module.timestamp_trust_roots(active.force),
    )
    roots = seal_module.timestamp_trust_roots(active.force)
    stamped = seal_module.seal_timestamp(sealed, timestamp_roots=roots)
    assert stamped["trusted"]
    assert abs(stamped["at"] - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    # Without the authority's root, the time is there but not trusted.
    assert seal_module.seal_timestamp(sealed)["trusted"] is False
    assert seal_module.seal_is_valid(sealed, [material.certificate_pem], timestamp_roots=roots)
    # A timestamp from an authority nobody trusts does not pass as genuine.
    assert not seal_module.seal_is_valid(sealed, [material.certificate_pem])
    reader = PdfFileReader(io.BytesIO(sealed))
    assert "/DSS" in reader.root  # long-term validation data embedded
    # The check page says so, for a sealed PDF the force issued.
    from agreements.models import Agreement, sha256_hex

    Agreement.objects.filter(pk=active.pk).update(sealed_sha256=sha256_hex(sealed))
    client.force_login(world.neighbourhood)
    page = _verify(client, sealed)
    assert "This PDF is genuine" in page
    assert "Trusted timestamp from a time-stamping authority (RFC 3161)" in page


def test_the_seal_task_asks_the_configured_authority(
    world, sent, monkeypatch, django_capture_on_commit_callbacks
):
    from .conftest import sign

    asked = []

    def fake_timestamper(force):
        asked.append(force.pk)
        return local_tsa(trust_in=force)

    monkeypatch.setattr(seal_module, "timestamper_for", fake_timestamper)
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    assert asked == [sent.force_id]
    roots = seal_module.timestamp_trust_roots(sent.force)
    assert seal_module.seal_timestamp(pdf_bytes(sent), timestamp_roots=roots)["trusted"]


def test_without_an_authority_the_check_page_says_no_trusted_timestamp(world, active, client):
    data = pdf_bytes(active)
    assert seal_module.seal_timestamp(data) is None
    client.force_login(world.neighbourhood)
    page = _verify(client, data)
    assert "This PDF is genuine" in page
    assert "No trusted timestamp" in page


def test_an_unreachable_authority_leaves_it_unsealed_for_a_retry(
    world, sent, monkeypatch, django_capture_on_commit_callbacks
):
    """The authority does not answer: sealing fails as an OSError (so the task retries and
    the sweeper tries again later); nothing is sealed without the timestamp."""
    from .conftest import sign

    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        timestamp_url="http://127.0.0.1:9/tsa"
    )
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    assert not sent.is_sealed and sent.seal_failures == 1


def test_an_authority_nobody_trusts_is_a_recorded_failure_not_a_seal_without_time(
    world, sent, monkeypatch, django_capture_on_commit_callbacks
):
    from accounts.models import OutboxEmail

    from .conftest import sign

    monkeypatch.setattr(seal_module, "timestamper_for", lambda force: local_tsa())
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    assert not sent.is_sealed and sent.seal_failures == 1
    failed = OutboxEmail.objects.get(template="agreements/email/seal_failed")
    assert "Time-stamping failed" in failed.body_text
