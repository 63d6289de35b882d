"""Settings for the test suite: development defaults, fast hashing, in-memory cache and email.

The database still comes from DATABASE_URL, so `.ci/run` runs the same suite on PostgreSQL.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("CACHE_URL", "locmemcache://")

from .settings import *  # noqa: E402,F403
from .settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest-django sends every email to locmem; tests of the outbox set EMAIL_BACKEND to
# accounts.mail.OutboxBackend themselves, and it delivers here.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
LISTING_CACHE_SECONDS = 0  # tests read their own writes at once; tests/loans/test_listing_cache.py

CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
if not REDIS_URL:  # noqa: F405 - keep the test broker's queue apart from a running dev site's
    for _folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        CELERY_BROKER_TRANSPORT_OPTIONS[_folder] = str(BASE_DIR / "var" / "test-celery")  # noqa: F405
    (BASE_DIR / "var" / "test-celery").mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "import_export": {"BACKEND": "communitylend.core.encryption.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The bench smoke test must not replace a development install's figures in the design deck.
BENCH_RESULTS_FILE = BASE_DIR / "var" / "test-bench" / "latest.json"
# axe-core (a dev dependency from npm) for the browser journeys' accessibility check: served
# locally like every asset, only by the test server.
STATICFILES_DIRS = [*STATICFILES_DIRS, ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core")]  # noqa: F405
# Email links in tests: a fixed address (tests/platform/test_pages.py checks the learned one).
SITE_URL = "http://testserver"
