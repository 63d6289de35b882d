"""CommunityLend settings, read from the environment.

Development mode is ``DJANGO_DEBUG=1`` (built-in SECRET_KEY, console email, no mandatory email
verification). Without it the site runs in production mode and refuses to start without the
secrets it needs. See README.md, "Settings", for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from communitylend.core.keys import validate_keys as _validate_encryption_keys

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

# Encryption at rest (communitylend/core/encryption.py): Fernet keys, comma-separated, newest
# first. New values use the first; every key still decrypts, so rotation is: put a new key in
# front, run `manage.py rotate_encryption_key`, then drop the old key. Development mode has a
# built-in key (public: it protects nothing but demo data); production refuses to start without.
_DEV_FIELD_ENCRYPTION_KEY = "4_G1QyEZf0fgGHQN0AE_fjBNt_p0MFU5NIbM1mD6kJg="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS",
                                 default=[_DEV_FIELD_ENCRYPTION_KEY] if DEBUG else [])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS is not set. Production mode needs at least one Fernet key in the "
        "environment to encrypt personal data and KYC files (or run in development mode with "
        "DJANGO_DEBUG=1)."
    )
if not DEBUG and _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS[:1]:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: the development key is public; production "
                               "needs a key of its own")
_validate_encryption_keys(FIELD_ENCRYPTION_KEYS)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails. Empty (the default): learned from the host of the requests the site serves
# (communitylend.middleware.SiteOriginMiddleware keeps it in the Sites row), so a site run on any
# port links to that port; set it when the public address differs from the Host header.
SITE_URL = env.str("SITE_URL", default="")

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
    "corsheaders",
    "import_export",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
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
    # The request id, client address and user for every log line and audit row; first, so that
    # every answer (redirects, 503s, CORS preflights) carries X-Request-ID.
    "communitylend.middleware.RequestContextMiddleware",
    # CORS for API consumers' browser apps: before anything that may answer (CommonMiddleware).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: any 4xx under /api/ (an unmatched path, a refused method) is JSON.
    "communitylend.middleware.ApiErrorsAsJsonMiddleware",
    "communitylend.middleware.SingleQueryValuesMiddleware",  # ?limit=1&limit=2 is a 400
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Email links follow the host the site is served on, unless SITE_URL says otherwise.
    "communitylend.middleware.SiteOriginMiddleware",
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
            # money, day, moment, percent: one format for money and dates on every page.
            "builtins": ["communitylend.templatetags.present"],
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
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with a health check that asks the socket instead of the server.
        DATABASES["default"]["ENGINE"] = "communitylend.core.postgresql"
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
# Chords (the servicing day and the bot cycle over every worker) need a result backend: Redis.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
# The queue the workers read and tasks go to (the bench's own workers use a queue of their own).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
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
# Sign in with Google and GitHub (allauth's social accounts): a provider is offered only when
# both its variables are set (the original platform's names); its button and its login address
# exist only then (accounts.adapters.SocialAccountAdapter). A provider's verified email that
# belongs to an existing account signs into (and connects) that account: no duplicate.
SOCIALACCOUNT_PROVIDERS = {}
if env.str("GOOGLE_CLIENT_ID", default="") and env.str("GOOGLE_CLIENT_SECRET", default=""):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env.str("GOOGLE_CLIENT_ID"),
                  "secret": env.str("GOOGLE_CLIENT_SECRET"), "key": ""}],
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    }
if env.str("GITHUB_CLIENT_ID", default="") and env.str("GITHUB_CLIENT_SECRET", default=""):
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [{"client_id": env.str("GITHUB_CLIENT_ID"),
                  "secret": env.str("GITHUB_CLIENT_SECRET"), "key": ""}],
        "SCOPE": ["read:user", "user:email"],
    }
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons POST (with the CSRF token)
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False  # we never call the providers' APIs for the user afterwards
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
# Packages served file by file (communitylend/staticfinders.py): mermaid's dist folder is 123 MB,
# the design deck (/about/design/) needs its one browser bundle.
NODE_MODULE_FILES = {
    "vendor/mermaid": (NODE_MODULES / "mermaid" / "dist", ["mermaid.min.js",
                                                           "mermaid.min.js.map"]),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "communitylend.staticfinders.NodeModuleFilesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # users.csv waits here between the admin's preview and "Confirm import": encrypted too.
    "import_export": {"BACKEND": "communitylend.core.encryption.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Uploaded KYC documents: never served as static files; a view checks owner or staff.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Where the sandbox gateway writes its daily settlement files (manage.py reconcile).
SETTLEMENT_FILES_DIR = Path(env.str("SETTLEMENT_FILES_DIR", default=str(VAR_DIR / "settlements")))
MEDIA_URL = "/media/"
KYC_MAX_UPLOAD_BYTES = env.int("KYC_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads stay in memory (at most FILE_UPLOAD_MEMORY_LIMIT each; past that only counted, then
# refused): Django's temporary-file handler would put a document's plaintext on disk. The limit
# covers the admin's CSV imports too (a 50,000-row users.csv is about 3 MB).
FILE_UPLOAD_HANDLERS = ["communitylend.core.encryption.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MEMORY_LIMIT = max(KYC_MAX_UPLOAD_BYTES,
                               env.int("FILE_UPLOAD_MEMORY_LIMIT", default=64 * 1024 * 1024))

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
        "accounts.authentication.ApiKeyAuthentication",
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

# --- Proxies and CORS ---------------------------------------------------------------------------
# How many proxies in front of the site append to X-Forwarded-For: the client's address is the
# one that many entries from the right (0: REMOTE_ADDR, ignore the header, which a client could
# forge). Read by the login rate limits (allauth), the DRF throttles and the audit log alike.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Browser apps of API consumers on other origins (e.g. https://app.example.com): none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "x-request-id")
CORS_EXPOSE_HEADERS = ("x-request-id", "retry-after")
CORS_ALLOW_CREDENTIALS = False  # the API's browser clients send a Bearer token, not cookies

# --- Feature flags (accounts/flags.py) ------------------------------------------------------------
# Each on unless its variable says 0/false; staff override them at run time in the admin.
FEATURE_FLAG_DEFAULTS = {name: env.bool(name, default=True) for name in (
    "ENABLE_ML_SCORING", "ENABLE_AUTO_MATCHING", "ENABLE_EMAIL_NOTIFICATIONS")}
FEATURE_FLAG_CACHE_SECONDS = env.int("FEATURE_FLAG_CACHE_SECONDS", default=5)

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
# The bots' disclosed market making on the secondary market (published on /market/): each
# running bot buys a listed note at most at its model value, discounted at the bot's required
# return (its min_expected_return, else MARKET_MAKER_REQUIRED_RETURN, percent a year), less
# MARKET_MAKER_SPREAD percent, within MARKET_MAKER_BUDGET_SHARE percent of its capital.
MARKET_MAKER_REQUIRED_RETURN = env.float("MARKET_MAKER_REQUIRED_RETURN", default=8.0)
MARKET_MAKER_SPREAD = env.float("MARKET_MAKER_SPREAD", default=3.0)
MARKET_MAKER_BUDGET_SHARE = env.float("MARKET_MAKER_BUDGET_SHARE", default=5.0)
# Scale-out (payments/servicing/distributed.py, bots/distributed.py): the daily servicing run
# and the bot cycle as Celery chords over every worker. Off by default (in-process), and only
# with Redis (the chord's result backend).
SERVICING_CELERY = env.bool("SERVICING_CELERY", default=False)
BOT_CYCLE_CELERY = env.bool("BOT_CYCLE_CELERY", default=False)
SERVICING_BATCH_SIZE = env.int("SERVICING_BATCH_SIZE", default=5000)
BOT_CYCLE_PARTITIONS = env.int("BOT_CYCLE_PARTITIONS", default=8)
if (SERVICING_CELERY or BOT_CYCLE_CELERY) and not REDIS_URL and not CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured("SERVICING_CELERY and BOT_CYCLE_CELERY need REDIS_URL (the "
                               "chords' result backend)")
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
# The last `manage.py bench` run's figures, shown by the design deck (/about/design/).
BENCH_RESULTS_FILE = Path(env.str("BENCH_RESULTS_FILE",
                                  default=str(VAR_DIR / "bench" / "latest.json")))
RISK_ARTIFACT_DIR = Path(env.str("RISK_ARTIFACT_DIR", default=str(VAR_DIR / "risk")))
# Webhooks for API consumers (accounts/integrations.py): development mode also allows http and
# loopback addresses (a local receiver); production never does (no server-side request forgery).
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=DEBUG)
if WEBHOOK_ALLOW_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_LOOPBACK is for development mode only")
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_RETRY_WINDOW = timedelta(hours=env.int("WEBHOOK_RETRY_HOURS", default=24))

# --- Logs and error tracking (communitylend/observability.py) -----------------------------------
# json: one JSON object per line (what a log shipper reads); plain: one readable line. Both
# carry the request id (X-Request-ID), the user id and, in a task, the task's id and name.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "communitylend.observability.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "communitylend.observability.JsonLogFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # RequestContextMiddleware logs every request with its id and duration.
                "django.server": {"level": "WARNING"}},
}
# The worker logs through the LOGGING above (same format, the task's ids on every line).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Sentry: off unless SENTRY_DSN is set; personal data is neither sent nor kept in events.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from communitylend.observability import sentry_init

    sentry_init(dsn=SENTRY_DSN,
                environment=env.str("SENTRY_ENVIRONMENT",
                                    default="development" if DEBUG else "production"),
                release=env.str("SENTRY_RELEASE", default="") or None,
                traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))
