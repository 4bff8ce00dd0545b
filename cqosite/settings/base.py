"""Settings shared by every environment, driven by environment variables.

A fresh machine needs none of them: SQLite, local-memory cache and console
e-mail/SMS are the defaults. PostgreSQL and Redis come in through
``DATABASE_URL`` and ``REDIS_URL``.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def fixed_key(label):
    """A key derived from a public label: for development and tests only, never production's."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"cqo-not-secret-{label}".encode()).digest()).decode()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cqosite",
    "home",
    "news",
    "registry",
    "filings.standards",
    "filings.awards",
    "filings.qcgroups",
    "training",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "treebeard",
    "django_filters",
    "rest_framework",
    "captcha",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cqosite.middleware.SecurityHeadersMiddleware",
    "cqosite.middleware.NulQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cqosite.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cqosite.middleware.QueryParameterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cqosite.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "registry.middleware.PasswordChangeRequiredMiddleware",
    "registry.two_factor.TwoFactorMiddleware",
    "registry.middleware.AdminScopeMiddleware",
    "registry.middleware.FunctionMissingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqosite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Compiled once per language, fixed translations written in (cqosite.template_loaders).
            "loaders": [
                (
                    "cqosite.template_loaders.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cqosite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins and waits up to 20 s for it: two writers (two
    # administrators approving one record) then queue, where a deferred transaction's upgrade from read to write
    # fails at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that skips connections in steady use (cqosite/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "cqosite.postgresql"
    # Each statement on one core, without JIT compilation. The site's statements read a page of rows, many at once:
    # a parallel worker took the core another request was waiting for (the talent-pool search under load ran at
    # half the throughput with them), and JIT compilation is paid per statement whose estimate passes
    # jit_above_cost (the national workflow report spent 46 ms compiling a query that ran in 11). Sent when each
    # connection starts; PgBouncer refuses such options: behind it, set DB_SESSION_OPTIONS empty and the same
    # settings on the role (docs/deployment.md).
    session_options = os.environ.get("DB_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0")
    if session_options:
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} {session_options}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cqo",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole-page cache for anonymous visitors (cqosite.pagecache); it needs a cache shared by all workers.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0))
# Out-of-date pages rendered at once across the site while other visitors get the stored copy; one per application
# server keeps most workers answering from the cache after a change.
PAGE_CACHE_REBUILDS = int(os.environ.get("PAGE_CACHE_REBUILDS", 1))

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "registry.backends.MobileOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "registry.passwords.CharacterClassValidator"},
]
LOGIN_URL = "portal_login"
LOGIN_REDIRECT_URL = "portal_home"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Time-outs (cqosite.sessions): administrators after 30 minutes idle and 12 hours in all, portal accounts after
# 2 hours idle; the admin warns SESSION_WARNING_SECONDS before the idle end.
ADMIN_SESSION_IDLE_SECONDS = int(os.environ.get("ADMIN_SESSION_IDLE_SECONDS", 30 * 60))
ADMIN_SESSION_MAX_SECONDS = int(os.environ.get("ADMIN_SESSION_MAX_SECONDS", 12 * 3600))
PORTAL_SESSION_IDLE_SECONDS = int(os.environ.get("PORTAL_SESSION_IDLE_SECONDS", 2 * 3600))
SESSION_WARNING_SECONDS = 120
# The audit log (record histories, exports, imports, sign-in changes) is kept this long, never under 180 days.
AUDIT_LOG_KEEP_DAYS = int(os.environ.get("AUDIT_LOG_KEEP_DAYS", 365))
if AUDIT_LOG_KEEP_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_LOG_KEEP_DAYS must be at least 180 (audit records are kept six months)")
# Personal identifiers encrypted at rest (registry.crypto): Fernet keys, newest first (comma-separated; the newest
# encrypts, all decrypt, `manage.py rotate_field_keys` re-encrypts under the newest), and the HMAC key of the keyed
# hashes that lookups and uniqueness use. Development and tests derive fixed keys; production requires both.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")
# dumpdata/loaddata write every encrypted value as its token (registry/serializers), dates of birth included.
SERIALIZATION_MODULES = {name: f"registry.serializers.{name}" for name in ("json", "jsonl", "python")}
# Two-factor sign-in (registry.two_factor): required of platform, national and provincial administrators; the
# name authenticator apps show for this site's codes.
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "true").lower() != "false"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "首席质量官之家")
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Lockout with back-off: after AXES_FAILURE_LIMIT failures the account/IP pair
# is locked, and each further lockout doubles the cool-off (registry.security).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = "registry.security.axes_cooloff"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registry/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# One key per account, however its login is typed (full-width digits, spaces, mobile or user name).
AXES_USERNAME_CALLABLE = "registry.security.axes_username"
# The visitor's address behind the front proxy (registry.security.client_ip), for the lockout as for every limit.
AXES_CLIENT_IP_CALLABLE = "registry.security.client_ip"
# Addresses or networks of the reverse proxies in front of the application, whose X-Forwarded-For is believed
# (read right to left). Empty: REMOTE_ADDR is the client, and X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 4

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Every screen and export in China's time: the account page offers no time zone of its own.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
# The project's catalogue (makemessages), then Chinese for Wagtail strings its own zh_Hans catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
#: Uploads that are not published (licences, stamped forms, evidence, import workbooks): outside MEDIA_ROOT, read only
#: through registry.files' checking view; MEDIA_ROOT holds only Wagtail's published images and documents.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "var" / "private"))
#: The nginx internal location that serves PRIVATE_ROOT after the view allowed a request (X-Accel-Redirect);
#: empty: Django streams the file itself.
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "registry.files.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@cqo.example.cn")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "registry.sms.ConsoleSMSBackend")

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

WAGTAIL_SITE_NAME = "首席质量官之家"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_USER_LOGIN_FORM = "registry.forms.CaptchaLoginForm"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "zip", "jpg", "jpeg", "png"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "registry.published_media.DocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "registry.published_media.ImageForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send administrators' e-mail hashes to a third party, and the CSP refuses its images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
