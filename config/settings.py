"""Settings, all read from the environment (see README.md, "Configuration")."""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Only the process environment counts: a compose-style .env (read by docker compose)
# must not leak into local runs and tests.
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default="pytest" in sys.modules)


def _local_secret_key() -> str:
    """Return a per-machine key kept in var/ so local sessions survive restarts."""
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # A deployment that says DEBUG=0 must bring its key; local tools run with no
    # settings at all (manage.py makemigrations, say) get a per-machine key in var/.
    if "DEBUG" in os.environ and not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="Safer Schools Partnership")
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "django_filters",
    "accounts",
    "schools",
    "incidents",
    "localcrime",
    "needs_assessment",
    "agreements",
    "referrals",
    "bookings",
    "help_requests",
    "partnership",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"

# The local-crime map's tile server, like "https://tile.example.org/{z}/{x}/{y}.png" (and its
# attribution). None by default: the map shows its points on a plain background and fetches
# nothing from the internet. A tile server must also be allowed by the CSP's img-src.
LOCAL_CRIME_TILE_URL = env.str("LOCAL_CRIME_TILE_URL", default="")
LOCAL_CRIME_TILE_ATTRIBUTION = env.str("LOCAL_CRIME_TILE_ATTRIBUTION", default="")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.shell",
            ],
        },
    },
]

# Database: a SQLite file under var/ unless DATABASE_URL names another.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions stop two writers from deadlocking on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        # JIT off on every connection, whatever the server's setting (a managed database
        # or the benchmark's cluster): compiling the dashboards' queries costs more than
        # running them (docs/performance.md).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# The database owner's connection, when the application runs as a role that owns nothing
# (README, "Database roles"): `manage.py grant_app_role --database owner` uses it, and
# docker/migrate.sh migrates with DATABASE_URL set to it; the application never does.
if env.str("MIGRATION_DATABASE_URL", default=""):
    DATABASES["owner"] = {
        **env.db("MIGRATION_DATABASE_URL"),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the cache and Celery's broker when REDIS_URL is set; otherwise local
# memory and tasks run in-process, so one machine needs nothing else.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: a stopped or hung Redis costs a request at most these, and
    # the cache then reads as a miss (accounts.caching) instead of answering 500.
    REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
# Tests run tasks in-process even against Redis; tests/test_celery_worker.py starts a
# real worker of its own.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_IMPORTS = ["config.tasks"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest task (sealing an agreement: render, seal, store, about 5 s) fits well inside
# the hard limit; a task in hand when its worker dies is redelivered after the visibility
# timeout (Redis's default is an hour), and the sweeper re-queues unsealed agreements anyway.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Queuing from a request must not wait long for a stopped broker: fail fast, and the
# caller records the task for later (agreements.services.queue_seal, the sweeper).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = "Europe/London"
# django-celery-beat's DatabaseScheduler, touching a heartbeat file for the health check.
CELERY_BEAT_SCHEDULER = "config.beat:HeartbeatScheduler"
# Every periodic job, declared here once. Beat writes these entries into its database tables
# each time it starts (by name, so an entry is updated, never doubled); times are UK time.
# Each job is idempotent: a reminder is sent once, however often beat fires.
CELERY_BEAT_SCHEDULE = {
    "Send outbox emails that are due": {
        "task": "accounts.tasks.sweep_outbox",
        "schedule": timedelta(minutes=1),
    },
    "Remind of schools due for reassessment": {
        "task": "needs_assessment.tasks.remind_due_reassessments",
        "schedule": crontab(minute="0", hour="6"),
    },
    "Remind of agreements due for review": {
        "task": "agreements.tasks.remind_agreement_reviews",
        "schedule": crontab(minute="15", hour="6"),
    },
    "Remind signers of agreements waiting for their signature": {
        "task": "agreements.tasks.remind_signers",
        "schedule": crontab(minute="30", hour="7"),
    },
    "Chase agreement documents missing, expiring or expired": {
        "task": "agreements.tasks.chase_documents",
        "schedule": crontab(minute="45", hour="7"),
    },
    "Re-queue agreements signed by all but not sealed": {
        "task": "agreements.tasks.sweep_unsealed",
        "schedule": timedelta(minutes=5),
    },
    "Remind action owners of reviews and overdue actions": {
        "task": "referrals.tasks.remind_action_owners",
        "schedule": crontab(minute="30", hour="6"),
    },
    "Remind owners at schools and partner agencies of monthly action reviews": {
        "task": "referrals.tasks.remind_outside_action_owners",
        "schedule": crontab(minute="35", hour="6"),
    },
    "Remind schools of booked sessions a week and a day before": {
        "task": "bookings.tasks.remind_upcoming_bookings",
        "schedule": crontab(minute="0", hour="7"),
    },
    "End waitlist offers after 48 hours": {
        "task": "bookings.tasks.expire_waitlist_offers",
        "schedule": crontab(minute="5"),
    },
}

# Accounts: sign in by email, invite-only, MFA through allauth.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# One sign-in email per account; a new one replaces it only once the link sent to it is opened
# (accounts.forms.ChangeSignInEmailForm refuses other accounts' and invited addresses).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {"add_email": "accounts.forms.ChangeSignInEmailForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# The keys that encrypt two-factor secrets in the database (accounts.encryption): Fernet keys,
# comma-separated; the first encrypts, all decrypt. Keep them with the database's backups
# (README, "Backup and restore"). Unset, a key derived from SECRET_KEY encrypts, as before;
# that key is always accepted for reading.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# Request bodies over this are refused with 413 before being read (the edge should match).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_MB", default=100) * 1024 * 1024

# Sessions: 30 minutes idle, 12 hours in all (accounts.middleware).
# Sessions live in the database, never only in Redis: a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security: strict unless DEBUG or tests; production values pass check --deploy.
SECURE_BY_DEFAULT = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_BY_DEFAULT)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE_BY_DEFAULT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE_BY_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_BY_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of our own stand in front of the app (the README's TLS proxy is 1).
# X-Forwarded-For is read only when this is above 0 (accounts.audit.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Email: the console unless EMAIL_URL names an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that does not answer costs a send at most this; the outbox tries again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Safer Schools <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files (sealed agreements, steering reports, GIAS uploads) go through Django's storage API
# only, and are served only by the product's permission-checked views: nothing serves
# MEDIA_URL. FILE_STORAGE=s3 keeps them in an S3 bucket, so every web and worker machine sees
# the same files; local files under MEDIA_ROOT stay the default.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
if FILE_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("FILE_STORAGE must be local or s3")
S3_STORAGE_OPTIONS = {
    "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
    "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
    "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
    "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
    "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
    "location": env.str("AWS_LOCATION", default=""),
    "default_acl": None,  # the bucket's own: private
    "querystring_auth": True,  # no public URL, should one ever be made
    "file_overwrite": True,  # a retried seal replaces its file under the same name
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_STORAGE_OPTIONS}
        if FILE_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Agreements: the certificate that seals signed agreement PDFs, one per force, kept in
# AGREEMENTS_SIGNING_DIR/<force slug>/ as key.pem and cert.pem (a PEM key, encrypted
# with AGREEMENTS_SIGNING_PASSPHRASE when that is set). With DEBUG or in tests a
# missing one is made, self-signed; `manage.py agreements_signing_cert` makes one too.
AGREEMENTS_SIGNING_DIR = Path(env.str("AGREEMENTS_SIGNING_DIR", default=str(VAR_DIR / "signing")))
AGREEMENTS_SIGNING_PASSPHRASE = env.str("AGREEMENTS_SIGNING_PASSPHRASE", default="")
# The largest document either side may attach to an agreement (a PDF or office document).
AGREEMENT_DOCUMENT_MAX_BYTES = env.int("AGREEMENT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
AGREEMENTS_SIGNING_AUTO_CREATE = env.bool(
    "AGREEMENTS_SIGNING_AUTO_CREATE", default=DEBUG or TESTING
)

# The benchmarks' floor page (benchmarks/views.py), served only when this is on: `make bench` sets it.
BENCHMARK_PAGES = env.bool("BENCHMARK_PAGES", default=False)
# A cached figure is worked out once per change while other readers wait for it
# (accounts.caching.compute_once). Off only to measure what the lock saves (make bench).
CACHE_COMPUTE_ONCE = env.bool("CACHE_COMPUTE_ONCE", default=True)
