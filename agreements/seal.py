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
# Optional: the root certificates of the force's time-stamping authority, when the system's
# trust store does not hold them (PEM, beside the seal's key and certificate).
TSA_ROOTS_FILE = "tsa_roots.pem"
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


def timestamp_trust_roots(force) -> list:
    """Return the extra roots trusted for the force's time-stamping authority (may be [])."""
    from pyhanko.keys import load_certs_from_pemder

    path = signing_dir(force) / TSA_ROOTS_FILE
    return list(load_certs_from_pemder([str(path)])) if path.exists() else []


def seal_pdf(
    pdf: bytes,
    material: SigningMaterial,
    *,
    signer_name: str,
    timestamper=None,
    timestamp_roots=(),
) -> bytes:
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
            # The system's roots, the seal's own certificate and the authority's roots: the
            # timestamp's chain and revocation data are fetched and embedded for LTV.
            "validation_context": ValidationContext(
                extra_trust_roots=[signer.signing_cert, *timestamp_roots], allow_fetching=True
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
    try:
        signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
        )
    except OSError:
        raise
    except Exception as error:
        if timestamper is None:
            raise
        # The authority answered with a token whose chain cannot be checked (its root is
        # not trusted here), or the validation data could not be gathered: a failure to
        # record and retry, never a seal quietly made without the timestamp.
        raise OSError(f"Time-stamping failed: {error}") from error
    return out.getvalue()


def seal_timestamp(pdf: bytes, *, timestamp_roots=()) -> dict | None:
    """Return the seal's RFC 3161 timestamp as {"at": its time, "trusted": whether its token
    is intact and chains to a trusted authority (the system's roots or the force's
    tsa_roots.pem)}, or None when the seal has none or the file cannot be read."""
    import asyncio

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import (
        extract_tst_data_iter,
        message_imprint_checker,
        validate_tst_signed_data,
    )
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
        if len(embedded) != 1:
            return None
        tokens = list(extract_tst_data_iter(embedded[0].signer_info, signed=False))
        if not tokens:
            return None
        token = tokens[0]
        at = token["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # noqa: BLE001 - an unreadable file simply has no timestamp
        return None
    try:
        context = ValidationContext(extra_trust_roots=list(timestamp_roots), allow_fetching=False)
        signer_info = embedded[0].signer_info
        status = asyncio.run(
            validate_tst_signed_data(token, context, message_imprint_checker(signer_info))
        )
        trusted = bool(
            status.get("intact")
            and status.get("valid")
            and status.get("trust_problem_indic") is None
            and status.get("validation_path") is not None
        )
    except Exception:  # noqa: BLE001 - a token that does not check out is not trusted
        trusted = False
    return {"at": at, "trusted": trusted}


def seal_is_valid(pdf: bytes, certificates_pem: list[str], *, timestamp_roots=()) -> bool:
    """True when the PDF carries one intact seal by a trusted cert, covering the whole file;
    or, for a timestamped seal, its whole revision followed only by the long-term validation
    data. A timestamp must come from a trusted authority (the system's roots or
    `timestamp_roots`)."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
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
        status = validate_pdf_signature(
            embedded[0],
            ValidationContext(trust_roots=roots),
            ts_validation_context=ValidationContext(
                extra_trust_roots=list(timestamp_roots), allow_fetching=False
            ),
        )
    except Exception:  # noqa: BLE001 - any unreadable or malformed file is simply not valid
        return False
    if not status.bottom_line:
        return False
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.timestamp_validity is not None
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
    )


@dataclass
class Sealed:
    """A rendered PDF sealed with a force's key: the bytes, their SHA-256 and the certificate."""

    pdf: bytes
    sha256: str
    certificate_pem: str


def seal_for_force(force, pdf: bytes) -> Sealed:
    """Seal a rendered PDF in the force's name; with the force's time-stamping authority the
    seal carries its RFC 3161 timestamp (an authority that does not answer raises OSError,
    so the task retries later)."""
    from accounts.hashing import sha256_hex

    material = signing_material(force)
    sealed = seal_pdf(
        pdf,
        material,
        signer_name=force.name,
        timestamper=timestamper_for(force),
        timestamp_roots=timestamp_trust_roots(force),
    )
    return Sealed(pdf=sealed, sha256=sha256_hex(sealed), certificate_pem=material.certificate_pem)


def keep_sealed(record, sealed: Sealed, *, name: str, now) -> None:
    """Store the sealed PDF on the record (an agreement of either kind) and set its seal fields;
    the caller saves the record in its transaction.

    One name per record and content, written whole by the storage: a retry of the same PDF
    replaces the file instead of adding another beside it.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if default_storage.exists(name):
        default_storage.delete(name)
    record.sealed_pdf.name = default_storage.save(name, ContentFile(sealed.pdf))
    record.sealed_sha256 = sealed.sha256
    record.sealed_at = now
    record.seal_certificate = sealed.certificate_pem
