"""Smoke test of the production-like stack: ``bin/prod`` (gunicorn + tasks worker + clock) on PostgreSQL and Redis.

It starts the real script on a free port against a throwaway database, requests the home page, a search, the
admin login (with the real image captcha: its answer is read from the database, as only a test may), logs in,
then stops the stack with SIGTERM and checks that every process it started has exited. Requests carry
``X-Forwarded-Proto: https`` as the TLS-terminating front proxy would, so the secure-cookie and CSRF rules of
production apply. Needs PostgreSQL and Redis: skipped without them, except on CI (``CI`` set), where it fails.
"""

import base64
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
ADMIN_MOBILE = "13912345678"
ADMIN_PASSWORD = "Smoke-test-Pa55word!"
STARTUP_TIMEOUT = 240  # about 30 s on an idle machine; generous for a loaded CI box


def postgres_server_url():
    """The PostgreSQL server of the run (CI's, DATABASE_URL's if it is PostgreSQL) or the local default."""
    for candidate in (os.environ.get("CI_POSTGRES_URL"), os.environ.get("DATABASE_URL")):
        if candidate and candidate.startswith(("postgres://", "postgresql://")):
            return candidate.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must provide PostgreSQL and Redis for the production smoke test")
    pytest.skip(f"{reason}: the production smoke test needs local PostgreSQL and Redis")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def postgres():
    """Throwaway databases on the run's PostgreSQL server: ``postgres.url(suffix)`` names one; all are dropped."""
    server = postgres_server_url()
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL at {server} is unreachable ({error})")
    names = []

    class Databases:
        @staticmethod
        def url(suffix, create=True):
            name = f"cqo_{suffix}_{os.getpid()}"
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                admin.execute(f'CREATE DATABASE "{name}"')
            names.append(name)
            return f"{server}/{name}"

    with admin:
        try:
            yield Databases
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} is unreachable ({error})")
    return url


@pytest.fixture
def stack(postgres, redis_url, tmp_path):
    """``bin/prod`` running on a free port; yields (base URL, environment, process, log path)."""
    database_url = postgres.url("smoke")
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cqosite.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "smoke-" + os.urandom(40).hex(),
        # The keys of the personal identifiers encrypted at rest, shared by the stack and the commands run beside it.
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "FIELD_HASH_KEY": os.urandom(32).hex(),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_KEY_PREFIX": f"smoke{os.getpid()}",
        "CLOCK_INTERVAL": "5",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "prod.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "prod")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not port_open(port):
            assert process.poll() is None, f"bin/prod exited early:\n{log_path.read_text()[-4000:]}"
            assert time.monotonic() < deadline, f"not listening after {STARTUP_TIMEOUT} s:\n{log_path.read_text()}"
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", env, process, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # only after a failure: the test itself stops it with SIGTERM
            process.wait()


def create_admin(env):
    script = (
        "from registry.models import Organisation, Role, User\n"
        f"User.objects.create_superuser(username={ADMIN_MOBILE!r}, mobile={ADMIN_MOBILE!r}, "
        f"password={ADMIN_PASSWORD!r}, real_name='冒烟测试', role=Role.PLATFORM, must_change_password=False, "
        "organisation=Organisation.get_root_nodes().get())\n"
    )
    subprocess.run([str(PYTHON), "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, timeout=60)


def captcha_answer(database_url, hashkey):
    with psycopg.connect(database_url) as connection:
        row = connection.execute("SELECT response FROM captcha_captchastore WHERE hashkey = %s", [hashkey]).fetchone()
    assert row, f"captcha {hashkey} is not in captcha_captchastore"
    return row[0]


def finished_tasks(database_url):
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchall()
    return [path for (path,) in rows]


def started_pids(log_path):
    match = re.search(r"\(pids ([\d ]+);", log_path.read_text())
    assert match, f"bin/prod did not report its processes:\n{log_path.read_text()}"
    return [int(pid) for pid in match.group(1).split()]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_production_stack_serves_pages_admin_login_and_stops_cleanly(stack, postgres, tmp_path):
    base_url, env, process, log_path = stack
    host = urlsplit(base_url).netloc
    proxy = {"X-Forwarded-Proto": "https"}  # the front proxy terminates TLS
    cookies = {}

    def get(path, **kwargs):
        headers = {**proxy, "Accept": "text/html"}  # as a browser asks for a page
        response = requests.get(base_url + path, headers=headers, cookies=cookies, timeout=30, **kwargs)
        cookies.update(response.cookies.get_dict())
        return response

    home = get("/")
    assert home.status_code == 200, home.text[:2000]
    assert "text/html" in home.headers["Content-Type"]
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    assert home.headers["X-Frame-Options"] == "DENY"

    search = get("/search/", params={"q": "质量"})
    assert search.status_code < 500, search.text[:2000]

    login_page = get("/admin/login/")
    assert login_page.status_code == 200
    hashkey = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"', login_page.text) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="captcha_0"', login_page.text
    )
    assert hashkey, "the admin login has no captcha"
    image = get(f"/captcha/image/{hashkey.group(1)}/")
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert "Secure" in login_page.headers["Set-Cookie"]  # CSRF cookie is HTTPS-only

    stylesheet = re.search(r'href="(/static/[^"?]+\.[0-9a-f]{12}\.css)[?"]', login_page.text)
    assert stylesheet, "static files are not served through the hashed manifest"
    css = get(stylesheet.group(1))
    assert css.status_code == 200 and "max-age" in css.headers["Cache-Control"]

    create_admin(env)
    login = requests.post(
        f"{base_url}/admin/login/",
        headers={**proxy, "Referer": f"https://{host}/admin/login/"},
        cookies=cookies,
        data={
            "csrfmiddlewaretoken": cookies["csrftoken"],
            "username": ADMIN_MOBILE,
            "password": ADMIN_PASSWORD,
            "captcha_0": hashkey.group(1),
            "captcha_1": captcha_answer(env["DATABASE_URL"], hashkey.group(1)),
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302, login.text[:3000]
    assert login.headers["Location"] == "/admin/"
    cookies.update(login.cookies.get_dict())
    assert "sessionid" in cookies
    # The platform administrator must set up two-factor sign-in before any admin page (registry.two_factor).
    dashboard = get("/admin/", allow_redirects=False)
    assert dashboard.status_code == 302 and dashboard.headers["Location"].startswith("/admin/two-factor/setup/")
    setup = get(dashboard.headers["Location"])
    assert setup.status_code == 200 and "<svg" in setup.text and "data-secret" in setup.text

    session_key = f"*django.contrib.sessions.cache{cookies['sessionid']}"
    assert redis.Redis.from_url(env["REDIS_URL"]).keys(session_key), "the session is not stored in Redis"

    # The clock's daily job enqueued the two-year standard reminders; the worker ran them.
    deadline = time.monotonic() + 120
    while not (done := finished_tasks(env["DATABASE_URL"])):
        assert time.monotonic() < deadline, f"no task ran:\n{log_path.read_text()[-3000:]}"
        time.sleep(1)
    assert any(path.endswith("send_two_year_reminders") for path in done), done

    pids = started_pids(log_path)
    assert len(pids) == 3 and all(alive(pid) for pid in pids)  # gunicorn master, tasks worker, clock
    port = int(urlsplit(base_url).port)
    process.terminate()  # SIGTERM to bin/prod alone: its trap must stop what it started
    assert process.wait(timeout=40) == 0, log_path.read_text()[-3000:]
    assert not any(alive(pid) for pid in pids)
    assert not port_open(port)

    # The database the stack wrote survives a backup and a restore into a fresh database (migrate included).
    backup_dir = run_script("backup", str(tmp_path / "backups"), env=env)
    restored = postgres.url("smoke_restored", create=False)
    run_script("restore", backup_dir, env={**env, "DATABASE_URL": restored, "MEDIA_ROOT": str(tmp_path / "m2")})
    with psycopg.connect(restored) as connection:
        assert connection.execute("SELECT real_name FROM registry_user WHERE mobile = %s", [ADMIN_MOBILE]).fetchone()


def run_script(name, *args, env):
    result = subprocess.run(
        [str(ROOT / "bin" / name), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_backup_restores_database_and_media_into_a_new_database(postgres, tmp_path):
    source = postgres.url("backup_source")
    with psycopg.connect(source, autocommit=True) as connection:
        connection.execute("CREATE TABLE notice (id serial PRIMARY KEY, title text, scan bytea)")
        connection.execute(
            "INSERT INTO notice (title, scan) SELECT '质量公告 ' || n, decode(md5(n::text), 'hex') "
            "FROM generate_series(1, 500) AS n"
        )
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "企业标准.pdf").write_bytes(b"%PDF-1.7 " + os.urandom(2048))
    private = tmp_path / "private"
    (private / "qcgroups").mkdir(parents=True)
    (private / "qcgroups" / "0f3a.pdf").write_bytes(b"%PDF-1.7 licence")
    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media), "PRIVATE_ROOT": str(private)}
    backup_dir = Path(run_script("backup", str(tmp_path / "backups"), env=env))
    assert {path.name for path in backup_dir.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
        "SHA256SUMS",
    }

    target = postgres.url("backup_target", create=False)  # bin/restore creates it
    restored_media = tmp_path / "restored-media"
    restored_private = tmp_path / "restored-private"
    restore_env = {
        **os.environ,
        "DATABASE_URL": target,
        "MEDIA_ROOT": str(restored_media),
        "PRIVATE_ROOT": str(restored_private),
        "SKIP_MIGRATE": "1",
    }
    run_script("restore", str(backup_dir), env=restore_env)
    run_script("restore", str(backup_dir), env=restore_env)  # again, over the restored copy: --clean replaces it
    with psycopg.connect(source) as original, psycopg.connect(target) as copy:
        query = "SELECT id, title, scan FROM notice ORDER BY id"
        assert copy.execute(query).fetchall() == original.execute(query).fetchall()
        assert copy.execute("SELECT nextval('notice_id_seq')").fetchone()[0] == 501
    restored_file = restored_media / "documents" / "企业标准.pdf"
    assert restored_file.read_bytes() == (media / "documents" / "企业标准.pdf").read_bytes()
    assert (restored_private / "qcgroups" / "0f3a.pdf").read_bytes() == b"%PDF-1.7 licence"

    (backup_dir / "media.tar.gz").write_bytes(b"corrupted")
    refused = subprocess.run(
        [str(ROOT / "bin" / "restore"), str(backup_dir)], cwd=ROOT, env=restore_env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "FAILED" in refused.stdout + refused.stderr
