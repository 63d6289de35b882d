"""CommunityLend settings, read from the environment.

Development mode is ``DJANGO_DEBUG=1`` (built-in SECRET_KEY, console email, no mandatory email
verification). Without it the site runs in production mode and refuses to start without the
secrets it needs. See README.md, "Settings", for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-4f9c1e"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production mode needs a SECRET_KEY in the environment "
        "(or run in development mode with DJANGO_DEBUG=1)."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "import_export",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "payments",
    "risk",
    "loans",
    "investments",
    "bots",
    "communitylend",  # the wiring: loads the Celery app (communitylend/apps.py)
    # Features on top of the apps (DESIGN.md, "Architecture"): nothing imports them.
    "communitylend.backoffice",  # the platform dashboard, export_csv
    "communitylend.bench",  # manage.py bench
    "communitylend.demo",  # manage.py seed_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: any 4xx under /api/ (an unmatched path, a refused method) is JSON.
    "communitylend.middleware.ApiErrorsAsJsonMiddleware",
    "communitylend.middleware.SingleQueryValuesMiddleware",  # ?limit=1&limit=2 is a 400
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a TOTP authenticator are sent to set one up; the admin logs in via allauth.
    "accounts.mfa.StaffTwoFactorMiddleware",
    # Web forms: no control, invisible or look-alike-digit input (the API's parsers check too).
    "communitylend.core.input_checks.RefuseTrickyInputMiddleware",
    "csp.middleware.CSPMiddleware",
    # API query parameters arrive in camelCase (?sortBy=...&minAmount=...).
    "djangorestframework_camel_case.middleware.CamelCaseMiddleWare",
    # A database outage is a 503 (page or JSON envelope), not a 500.
    "communitylend.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "communitylend.urls"
WSGI_APPLICATION = "communitylend.wsgi.application"

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
                "accounts.context_processors.navbar",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Default: an SQLite file under var/. WAL lets the web server, the Celery worker and beat share
# it; IMMEDIATE transactions take the write lock up front so concurrent writers wait (busy
# timeout) instead of failing with "database is locked" when a read transaction upgrades.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _default_cache = f"rediscache://{REDIS_URL.split('://', 1)[1]}"
else:
    _default_cache = f"filecache://{VAR_DIR / 'cache'}"
CACHES = {"default": env.cache("CACHE_URL", default=_default_cache)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage is a cache miss, not a 500 (communitylend/cache.py); never wait long on it.
    CACHES["default"]["BACKEND"] = "communitylend.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 2})

# Each process's own memory, for what every visitor shares for a second or two (the public list
# of open listings, the marketplace table, large listing totals): a hit costs no round trip to
# Redis, and each process rebuilds them at most once per LISTING_CACHE_SECONDS.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                   "LOCATION": "communitylend-local", "OPTIONS": {"MAX_ENTRIES": 2000}}

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT = "communitylend.broker:Transport"  # atomic message files
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    _processed_dir.mkdir(parents=True, exist_ok=True)
    _control_dir = VAR_DIR / "celery" / "control"
    _control_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # Tasks are acknowledged late: a message whose worker died stays "unacked" in Redis and is
    # handed to another worker once the visibility timeout runs out (it must exceed the longest
    # task). Workers look for such messages every tenth of the timeout (1 s to 60 s).
    _visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        "unacked_restore_interval": max(1, min(60, _visibility_timeout // 10)),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = env.str("TIME_ZONE", default="UTC")

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CommunityLend] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# API.md: 20 failed logins per 15 minutes per account.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_FAILURE_WINDOW_SECONDS}s/key",
    "signup": env.str("SIGNUP_RATE_LIMIT", default="100/h/ip"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CommunityLend"
MFA_TOTP_TOLERANCE = 1  # a phone clock 30 s off still works
# Two-factor authentication is optional for users and required for staff (accounts/mfa.py).
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_FORMS = {"authenticate": "accounts.forms.LockoutAwareMfaAuthenticateForm"}

# --- Email --------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CommunityLend <no-reply@communitylend.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every email goes to the outbox (accounts.mail.OutboxBackend: a row written in the sender's
# transaction); a Celery task delivers it after commit through EMAIL_DELIVERY_BACKEND and the
# outbox sweep retries, so a request never fails because the mail server is down.
EMAIL_BACKEND = "accounts.mail.OutboxBackend"
if DEBUG:
    EMAIL_DELIVERY_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
else:
    # EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 (django-environ's idiom).
    _email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
    EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
    vars().update(_email)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- I18N ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Uploaded KYC documents: never served as static files; a view checks owner or staff.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
KYC_MAX_UPLOAD_BYTES = env.int("KYC_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- CSV import and export in the admin (django-import-export) ----------------------------------
# Importing needs the model's change permission (Risk officer: users and loans); exporting needs
# view (every staff group). The file waits for "Confirm import" in the default storage (media),
# so any web process can finish what another one previewed.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# Off: the library only strips one leading "="; communitylend.core.importexport.SafeCSV applies
# OWASP's rule to every cell instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "djangorestframework_camel_case.render.CamelCaseJSONRenderer",
        "djangorestframework_camel_case.render.CamelCaseBrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        # camelCase in, and no control, invisible or look-alike-digit strings (input_checks.py)
        "communitylend.core.parsers.CheckedJSONParser",
        "communitylend.core.parsers.CheckedFormParser",
        "communitylend.core.parsers.CheckedMultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "communitylend.core.openapi.ApiSchema",
    "EXCEPTION_HANDLER": "communitylend.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("THROTTLE_USER", default="600/min"),
        "register": env.str("THROTTLE_REGISTER", default="100/hour"),
        "login": env.str("THROTTLE_LOGIN", default="300/hour"),
        "money": env.str("THROTTLE_MONEY", default="120/min"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CommunityLend API",
    "DESCRIPTION": (
        "Peer-to-peer lending marketplace. JSON in camelCase, money as strings with two "
        "decimals, auth with `Authorization: Bearer <token>` from POST /api/auth/login."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "CAMELIZE_NAMES": False,
    "ENUM_NAME_OVERRIDES": {
        "LoanTermEnum": "loans.models.TERM_CHOICES",
        "RiskGradeEnum": "loans.models.Grade",
        "PurposeEnum": "loans.models.Purpose",
        "VerificationStatusEnum": "accounts.models.VerificationStatus",
        "VerificationDecisionEnum": "accounts.serializers.VERIFICATION_DECISIONS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "drf_spectacular.hooks.postprocess_schema_enums",
        # after the camelCase hook: path parameters named as in their paths, errors, headers
        "communitylend.core.openapi.finish_document",
    ],
    # One security scheme per way to authenticate, from the authentication classes themselves
    # (accounts.authentication's bearer token, the session cookie).
}

# --- Security (production) ----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts anywhere (data reaches scripts through json_script): script-src 'self' only.
# Inline styles stay allowed: progress bars size themselves with style attributes and the local
# Swagger UI page carries a <style> block; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Domain settings ----------------------------------------------------------------------------
LISTING_DAYS = env.int("LISTING_DAYS", default=14)
# The public list of open listings (GET /api/loans without a status, the marketplace table) is
# the same for everyone: it is kept in the cache this many seconds, so a busy marketplace does
# not run the same query for every visitor. A listing's own page and API stay live. 0: off.
LISTING_CACHE_SECONDS = env.int("LISTING_CACHE_SECONDS", default=2)
ACCEPTANCE_DAYS = env.int("ACCEPTANCE_DAYS", default=5)
# Daily servicing runs its batches of loans on this many database connections at once
# (PostgreSQL only; SQLite has one writer, so one). Each batch is one transaction; batches hold
# the lenders' account locks only at their very end, so two of them overlap almost entirely.
SERVICING_WORKERS = env.int("SERVICING_WORKERS", default=2)
LENDER_KYC_REQUIRED = env.bool("LENDER_KYC_REQUIRED", default=False)
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="sandbox")
# The payment provider's webhook HMAC secret. Production requires its own (never SECRET_KEY,
# which signs sessions); development makes a random one per install, kept under var/, so no
# secret anyone can read in the code signs webhooks.
PAYMENT_WEBHOOK_SECRET = env.str("PAYMENT_WEBHOOK_SECRET", default="")
if not PAYMENT_WEBHOOK_SECRET:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PAYMENT_WEBHOOK_SECRET is not set. Production mode needs the payment provider's "
            "webhook secret in the environment (or run in development mode with DJANGO_DEBUG=1)."
        )
    _webhook_secret_file = VAR_DIR / "webhook-secret"
    if not _webhook_secret_file.exists():
        # Written aside and linked into place: the web server, worker and beat start together,
        # and each must read the same whole secret.
        import os
        import secrets

        _draft = VAR_DIR / f"webhook-secret.{os.getpid()}"
        _draft.write_text(secrets.token_urlsafe(32))
        _draft.chmod(0o600)
        try:
            os.link(_draft, _webhook_secret_file)
        except FileExistsError:
            pass
        finally:
            _draft.unlink()
    PAYMENT_WEBHOOK_SECRET = _webhook_secret_file.read_text().strip()
elif PAYMENT_WEBHOOK_SECRET == SECRET_KEY:
    raise ImproperlyConfigured("PAYMENT_WEBHOOK_SECRET must not be the SECRET_KEY")
# The outbox sweep sends emails still pending (or stuck "sending") this long after creation; it
# must exceed the slowest email send, or a slow send could be repeated.
NOTIFICATION_RETRY_AFTER = timedelta(seconds=env.int(
    "NOTIFICATION_RETRY_SECONDS", default=60 * env.int("NOTIFICATION_RETRY_MINUTES", default=2)))
RISK_ARTIFACT_DIR = Path(env.str("RISK_ARTIFACT_DIR", default=str(VAR_DIR / "risk")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
