"""Settings are driven by the environment: each case loads a settings module in a fresh interpreter."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LONG_KEY = "k" * 20 + "-production-test-key-0123456789abcdef"
# What a deployment's environment would not have: our own inputs, and what the browser fixtures set for the
# test process itself (DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects).
ENV_KEYS = (
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "AWS_STORAGE_BUCKET_NAME", "SEARCH_URL", "TASKS_BACKEND",
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DB_CONN_MAX_AGE", "DB_DISABLE_SERVER_SIDE_CURSORS",
    "CACHE_KEY_PREFIX", "DB_HEALTH_CHECK_AFTER_IDLE", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY",
)  # fmt: skip
#: A deployment's field keys (registry.crypto), which production requires: a Fernet key and an HMAC key.
FIELD_KEYS = {"FIELD_ENCRYPTION_KEYS": "A" * 43 + "=", "FIELD_HASH_KEY": "h" * 40}
READ_SETTINGS = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1])
print(json.dumps({name: getattr(module, name, None) for name in sys.argv[2:]}, default=str))
"""


def clean_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in ENV_KEYS}
    return {**env, **FIELD_KEYS, **overrides}


def load(module, *names, **env):
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS, module, *names],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_passes_check_deploy_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="cqosite.settings.production", SECRET_KEY=LONG_KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?:" not in output


@pytest.mark.parametrize("secret_key", [None, "", "too-short-0123456789"])
def test_production_refuses_a_missing_or_short_secret_key(secret_key):
    env = clean_env() if secret_key is None else clean_env(SECRET_KEY=secret_key)
    result = subprocess.run(
        [sys.executable, "-c", "import cqosite.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_base_reads_database_url():
    loaded = load(
        "cqosite.settings.base", "DATABASES", DATABASE_URL="postgres://cqo:s3cret@db.internal:6432/cqo_portal"
    )
    default = loaded["DATABASES"]["default"]
    assert default["ENGINE"] == "cqosite.postgresql"  # Django's, with the idle-aware health check
    assert (default["HOST"], default["PORT"], default["NAME"]) == ("db.internal", 6432, "cqo_portal")
    assert (default["USER"], default["PASSWORD"]) == ("cqo", "s3cret")


def test_base_without_environment_uses_sqlite_and_local_memory():
    loaded = load("cqosite.settings.base", "DATABASES", "CACHES", "SESSION_ENGINE")
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["SESSION_ENGINE"] is None  # Django's default: database sessions


def test_base_puts_cache_and_sessions_in_redis_when_redis_url_is_set():
    loaded = load("cqosite.settings.base", "CACHES", "SESSION_ENGINE", REDIS_URL="redis://cache.internal:6379/3")
    assert loaded["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert loaded["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/3"
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"


def test_production_keeps_connections_and_survives_a_redis_outage():
    loaded = load(
        "cqosite.settings.production",
        "DATABASES",
        "CACHES",
        "TASKS",
        SECRET_KEY=LONG_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cqo",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert loaded["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert loaded["DATABASES"]["default"]["HEALTH_CHECK_AFTER_IDLE"] == 0  # every use checked, but see below
    assert loaded["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert loaded["CACHES"]["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert loaded["CACHES"]["default"]["KEY_PREFIX"] == "cqo"
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_production_behind_pgbouncer_closes_connections_and_avoids_server_side_cursors():
    loaded = load(
        "cqosite.settings.production",
        "DATABASES",
        SECRET_KEY=LONG_KEY,
        DATABASE_URL="postgres://cqo@pgbouncer.internal:6432/cqo",
        DB_CONN_MAX_AGE="0",
        DB_DISABLE_SERVER_SIDE_CURSORS="true",
        DB_SESSION_OPTIONS="",
    )
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    assert loaded["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "options" not in loaded["DATABASES"]["default"].get("OPTIONS", {})  # PgBouncer refuses startup options


def test_postgresql_statements_run_without_jit_or_parallel_workers_and_keep_the_urls_options():
    loaded = load(
        "cqosite.settings.production",
        "DATABASES",
        SECRET_KEY=LONG_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cqo?options=-c%20statement_timeout%3D30000",
    )
    options = loaded["DATABASES"]["default"]["OPTIONS"]["options"]
    assert options == "-c statement_timeout=30000 -c jit=off -c max_parallel_workers_per_gather=0"


def test_production_media_on_s3_only_when_a_bucket_is_named():
    on_disk = load("cqosite.settings.production", "STORAGES", SECRET_KEY=LONG_KEY)
    assert on_disk["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert on_disk["STORAGES"]["staticfiles"]["BACKEND"] == "cqosite.storage.StaticFilesStorage"
    on_s3 = load(
        "cqosite.settings.production",
        "STORAGES",
        "AWS_S3_ENDPOINT_URL",
        "AWS_DEFAULT_ACL",
        SECRET_KEY=LONG_KEY,
        AWS_STORAGE_BUCKET_NAME="cqo-media",
        AWS_S3_ENDPOINT_URL="https://minio.internal:9000",
    )
    assert on_s3["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert on_s3["AWS_S3_ENDPOINT_URL"] == "https://minio.internal:9000"
    assert on_s3["AWS_DEFAULT_ACL"] is None


def test_production_search_moves_to_opensearch_when_search_url_is_set():
    default = load("cqosite.settings.production", "WAGTAILSEARCH_BACKENDS", SECRET_KEY=LONG_KEY)
    assert default["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "wagtail.search.backends.database"
    external = load(
        "cqosite.settings.production", "WAGTAILSEARCH_BACKENDS", SECRET_KEY=LONG_KEY, SEARCH_URL="http://os:9200"
    )
    assert external["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert external["WAGTAILSEARCH_BACKENDS"]["default"]["URLS"] == ["http://os:9200"]


def test_gunicorn_config_reads_port_and_worker_count(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    config = runpy.run_path(str(ROOT / "cqosite" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8123"
    assert config["workers"] == 5
    assert config["worker_class"] == "sync"


def test_gunicorn_lets_web_workers_skip_the_health_check_of_a_connection_in_steady_use():
    script = (
        "import os, runpy; runpy.run_path('cqosite/gunicorn.conf.py'); "
        "import cqosite.settings.production as s; print(s.DATABASES['default']['HEALTH_CHECK_AFTER_IDLE'])"
    )
    env = clean_env(SECRET_KEY=LONG_KEY, DATABASE_URL="postgres://postgres@127.0.0.1:5432/cqo")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "1.0", result.stderr


@pytest.mark.parametrize(
    "keys",
    [
        {"FIELD_ENCRYPTION_KEYS": ""},
        {"FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"},
        {"FIELD_ENCRYPTION_KEYS": "A" * 43 + "=,short"},
        {"FIELD_HASH_KEY": ""},
        {"FIELD_HASH_KEY": "too-short"},
    ],
)
def test_production_refuses_missing_or_malformed_field_keys(keys):
    """Personal identifiers are encrypted under the deployment's own keys: never derived, never absent."""
    result = subprocess.run(
        [sys.executable, "-c", "import cqosite.settings.production"],
        cwd=ROOT,
        env=clean_env(SECRET_KEY=LONG_KEY, **keys),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and next(iter(keys)) in result.stderr


def test_development_and_tests_derive_fixed_field_keys():
    names = ("FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY")
    dev = load("cqosite.settings.dev", *names, FIELD_ENCRYPTION_KEYS="", FIELD_HASH_KEY="")
    again = load("cqosite.settings.dev", *names, FIELD_ENCRYPTION_KEYS="", FIELD_HASH_KEY="")
    assert dev == again and len(dev["FIELD_ENCRYPTION_KEYS"]) == 1 and dev["FIELD_HASH_KEY"]
