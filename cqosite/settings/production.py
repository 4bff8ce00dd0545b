"""Production: secrets from the environment, HTTPS-only cookies, strict headers, Redis and PostgreSQL.

Passes ``manage.py check --deploy --fail-level WARNING`` with no warnings (tests/test_settings.py).
TLS ends at the front proxy, which must set ``X-Forwarded-Proto``; gunicorn listens on loopback or a
private interface only (cqosite/gunicorn.conf.py). docs/deployment.md describes every variable.
"""

import base64
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production.")
# Personal identifiers are encrypted at rest (registry.crypto): production has its own keys, never derived ones.
for _key in FIELD_ENCRYPTION_KEYS or [""]:  # noqa: F405
    try:
        _valid = len(base64.urlsafe_b64decode(_key.encode())) == 32
    except ValueError:
        _valid = False
    if not _valid:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must list one or more Fernet keys (32 url-safe base64 bytes each, newest first)."
        )
if len(FIELD_HASH_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured("FIELD_HASH_KEY must be set to at least 32 random characters in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# nginx on the same host (docs/deployment.md) connects from loopback; its X-Forwarded-For names the visitor.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Persistent connections save a TCP + authentication round trip per request; health checks drop a
# connection that PostgreSQL (or a pooler in front of it) closed while the process was idle. The web workers
# skip the check for a connection used in the last DB_HEALTH_CHECK_AFTER_IDLE seconds (cqosite/gunicorn.conf.py
# sets 1, cqosite/postgresql/base.py); task workers and cron jobs check before every use (0).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", 60))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
DATABASES["default"]["HEALTH_CHECK_AFTER_IDLE"] = float(os.environ.get("DB_HEALTH_CHECK_AFTER_IDLE") or 0)  # noqa: F405
# Behind PgBouncer in transaction mode a server-side cursor may outlive its transaction's connection.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS")  # noqa: F405

if REDIS_URL:  # noqa: F405
    # base.py already puts the cache and sessions in Redis; a Redis outage must not turn every page into a 500.
    # Login lockouts (django-axes) stay in the database: registry.security's doubling back-off reads the
    # failure count that only the database handler records.
    CACHES["default"]["OPTIONS"] = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}  # noqa: F405
    # Sites sharing one Redis (production and staging, benchmark runs) must not read each other's cached
    # values: Wagtail caches its site root paths, for one.
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "cqo")  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "cqosite.storage.StaticFilesStorage"},
}
WHITENOISE_MAX_AGE = int(os.environ.get("WHITENOISE_MAX_AGE", 3600))

# Media on any S3-compatible store (MinIO, Ceph, OSS/COS S3 endpoints) when a bucket is named; needs
# ``pip install django-storages[s3]``. Otherwise MEDIA_ROOT on the local (or shared network) file system.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None  # objects stay private; documents are served through Wagtail's permission checks
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Private files under their own prefix, streamed through the checking view (registry.files).
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "private"}}

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Search on OpenSearch/Elasticsearch once the database backend is no longer enough (docs/deployment.md).
SEARCH_URL = os.environ.get("SEARCH_URL", "")
if SEARCH_URL:
    _search = {
        "BACKEND": os.environ.get("SEARCH_BACKEND", "wagtail.search.backends.opensearch2"),
        "URLS": [SEARCH_URL],
        "INDEX": os.environ.get("SEARCH_INDEX", "cqo"),
        "TIMEOUT": 5,
        "OPTIONS": {},
        "INDEX_SETTINGS": {},
    }
    WAGTAILSEARCH_BACKENDS = {"default": _search}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks_db": {"level": "INFO"}},
}
