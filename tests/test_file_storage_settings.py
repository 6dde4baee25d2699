"""FILE_STORAGE picks where files live: local files by default, an S3 bucket with `s3`."""

import json
import subprocess
import sys

from tests.test_deploy_check import BASE_DIR, production_environment

SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, "
    "getattr(s, 'bucket_name', None), getattr(s, 'default_acl', 'none'), "
    "getattr(s, 'endpoint_url', None)]))"
)


def _storage(tmp_path, **variables):
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SHOW],
        cwd=BASE_DIR,
        env={
            **production_environment(tmp_path, **variables),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_are_local_by_default(tmp_path):
    assert _storage(tmp_path)[0] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_file_storage_s3_keeps_files_in_a_private_bucket(tmp_path):
    backend, bucket, acl, endpoint = _storage(
        tmp_path,
        FILE_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="safer-schools-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
    )
    assert backend == "storages.backends.s3.S3Storage"
    assert (bucket, acl, endpoint) == ("safer-schools-files", None, "https://s3.example.org")


def test_an_unknown_file_storage_is_refused(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env={
            **production_environment(tmp_path, FILE_STORAGE="nfs"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FILE_STORAGE must be local or s3" in result.stderr
