"""Seal a PDF with the force's certificate (PAdES, by pyHanko) and check a sealed one.

Each force's key and certificate live in settings.AGREEMENTS_SIGNING_DIR/<force slug>/
as key.pem and cert.pem. A deployment puts its own there; locally (DEBUG) and in tests a
self-signed pair is made on first use, as `manage.py agreements_signing_cert` does.
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE, CERT_FILE = "key.pem", "cert.pem"
SEAL_FIELD = "AgreementSeal"


@dataclass(frozen=True)
class SigningMaterial:
    key_path: Path
    cert_path: Path
    passphrase: bytes | None

    @property
    def certificate_pem(self) -> str:
        return self.cert_path.read_text()


def signing_dir(force) -> Path:
    return Path(settings.AGREEMENTS_SIGNING_DIR) / force.slug


def _passphrase() -> bytes | None:
    value = settings.AGREEMENTS_SIGNING_PASSPHRASE
    return value.encode() if value else None


def create_self_signed(force, *, years: int = 5, replace: bool = False) -> SigningMaterial:
    """Write a self-signed key and certificate for the force's seal (for demos and tests)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder = signing_dir(force)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if key_path.exists() and cert_path.exists() and not replace:
        return SigningMaterial(key_path, cert_path, _passphrase())
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{force.name} agreements seal"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, force.name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    passphrase = _passphrase()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return SigningMaterial(key_path, cert_path, passphrase)


def signing_material(force) -> SigningMaterial:
    """Return the force's key and certificate, making a self-signed pair where allowed."""
    folder = signing_dir(force)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if key_path.exists() and cert_path.exists():
        return SigningMaterial(key_path, cert_path, _passphrase())
    if settings.AGREEMENTS_SIGNING_AUTO_CREATE:
        return create_self_signed(force)
    raise ImproperlyConfigured(
        f"No signing certificate for {force.name}: put key.pem and cert.pem in {folder} "
        "or run `manage.py agreements_signing_cert`."
    )


def timestamper_for(force):
    """Return the RFC 3161 time-stamping client of the force's configured authority, or None."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from .models import AgreementSettings

    url = AgreementSettings.for_force(force).timestamp_url
    return HTTPTimeStamper(url, timeout=10) if url else None


def seal_pdf(pdf: bytes, material: SigningMaterial, *, signer_name: str, timestamper=None) -> bytes:
    """Return the PDF with a PAdES signature over the whole file. With a time-stamping
    client, the signature carries its trusted timestamp and the validation data (the
    certificates and any revocation information) is embedded for long-term validation."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator import ValidationContext

    signer = signers.SimpleSigner.load(
        str(material.key_path), str(material.cert_path), key_passphrase=material.passphrase
    )
    extra = {}
    if timestamper is not None:
        extra = {
            "embed_validation_info": True,
            "validation_context": ValidationContext(
                trust_roots=[signer.signing_cert], allow_fetching=False
            ),
        }
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        reason="Signed agreement sealed against change",
        **extra,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    return out.getvalue()


def seal_timestamp(pdf: bytes):
    """Return the time of the seal's RFC 3161 timestamp token, or None when it has none
    (or the file cannot be read). The token's own signature is checked for integrity."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
        if len(embedded) != 1:
            return None
        token = embedded[0].attached_timestamp_data
        if token is None:
            return None
        tst_info = token["content"]["encap_content_info"]["content"].parsed
        return tst_info["gen_time"].native
    except Exception:  # noqa: BLE001 - an unreadable file simply has no timestamp
        return None


def seal_is_valid(pdf: bytes, certificates_pem: list[str]) -> bool:
    """True when the PDF carries one intact seal, covering the whole file, by a trusted cert."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [
        cert
        for pem in certificates_pem
        if pem
        for cert in load_certs_from_pemder_data(pem.encode())
    ]
    if not roots:
        return False
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
        if len(embedded) != 1:
            return False
        status = validate_pdf_signature(embedded[0], ValidationContext(trust_roots=roots))
    except Exception:  # noqa: BLE001 - any unreadable or malformed file is simply not valid
        return False
    return bool(status.bottom_line) and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
