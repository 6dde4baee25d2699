"""Make a self-signed seal certificate for a force's agreement PDFs (demo and local use)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Force
from agreements.seal import create_self_signed, signing_dir


class Command(BaseCommand):
    help = (
        "Create a self-signed key and certificate that seal each force's signed agreement "
        "PDFs, in AGREEMENTS_SIGNING_DIR/<force slug>/. A deployment should put a certificate "
        "issued by a trusted authority there instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Force slugs (all forces when omitted).")
        parser.add_argument("--replace", action="store_true", help="Replace an existing pair.")
        parser.add_argument("--years", type=int, default=5, help="Years the certificate lasts.")

    def handle(self, *args, slugs, replace, years, **options):
        forces = Force.objects.filter(slug__in=slugs) if slugs else Force.objects.all()
        if slugs and forces.count() != len(set(slugs)):
            raise CommandError("Unknown force slug.")
        for force in forces:
            existed = (signing_dir(force) / "cert.pem").exists()
            material = create_self_signed(force, years=years, replace=replace)
            verb = "Kept" if existed and not replace else "Created"
            self.stdout.write(f"{verb} {material.cert_path} for {force.name}")
