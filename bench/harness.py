"""The benchmark harness: prepares PostgreSQL and a shared data set of enterprises, runs every ``bench/<area>.py``
``main(scale)`` in a child process with a time limit, load-tests the portal with gunicorn and wrk on loopback, prints
one table and writes it to bench/RESULTS.md with the machine's description.

Every figure is a ratio to a baseline measured in the same run on the same machine, so results from different
machines compare. A row is ``{"scenario", "measured_s", "baseline", "baseline_s", "ratio", "goal"}`` with
``ratio = measured_s / baseline_s`` (lower is better). Area modules may call :func:`load_test` and
:func:`depth_test` while their data exists (commit it first: gunicorn reads through its own connections).
"""

import contextlib
import importlib
import io
import json
import math
import os
import pkgutil
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

import requests

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cqo_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
ROW_KEYS = ("scenario", "measured_s", "baseline", "baseline_s", "ratio", "goal")
NOT_AREA_MODULES = {"harness", "hello", "portal", "workday", "__main__"}

# Data-set sizes per scale (the defaults at full scale); area modules read theirs with size().
SCALES = {
    "full": {
        "standards": 1_000_000,
        "products": 3_000_000,
        "enterprises": 200_000,
        "officers": 1_000_000,
        "load_seconds": 20,
        "warmup_seconds": 3,
        "depth_samples": 40,
        "module_seconds": 4 * 3600,
    },
    "small": {
        "standards": 10_000,
        "products": 30_000,
        "enterprises": 2_000,
        "officers": 10_000,
        "load_seconds": 5,
        "warmup_seconds": 1,
        "depth_samples": 15,
        "module_seconds": 600,
    },
}

# wrk's own summary lacks p95; this script prints every figure we need as one JSON line (latencies in µs).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"non_2xx_3xx":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""
# Cycles through a list of paths, each request made unique by a counter parameter the site ignores, so the
# anonymous page cache never answers: the figure is the view's own work (searches are rarely repeated).
WRK_UNCACHED = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[counter %% #paths + 1]
  local separator = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. separator .. "_=" .. counter)
end
"""
# Cycles through a list of paths as they come (a repeated visit may be served from the cache) and counts the
# responses the page cache answered (current pages, and out-of-date ones while another request renders them
# again: cqosite.pagecache), for the working-day test's hit rate.
WRK_MIX = """
local paths = {%s}
local counter = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function() hits = 0; stale = 0; responses = 0 end
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[counter %% #paths + 1])
end
response = function(status, headers, body)
  responses = responses + 1
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
  if headers["X-Page-Cache"] == "stale" then stale = stale + 1 end
end
local report = done
done = function(summary, latency, requests)
  local hit, old, total = 0, 0, 0
  for _, thread in ipairs(threads) do
    hit = hit + thread:get("hits"); old = old + thread:get("stale"); total = total + thread:get("responses")
  end
  io.write(string.format('WRK_HITS {"hits":%%d,"stale":%%d,"responses":%%d}\\n', hit, old, total))
  report(summary, latency, requests)
end
"""
WRK_THREADS = 1
WRK_CONNECTIONS = 4  # two sync workers: 4 connections keep both busy without measuring only the queue


def say(text=""):
    """Progress and tables go to stdout as the run goes (``print`` is reserved for debugging by the linter)."""
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def size(scale, what):
    return SCALES[scale][what]


def row(scenario, measured_s, baseline, baseline_s, goal, **extra):
    ratio = measured_s / baseline_s if baseline_s else math.nan
    return {
        "scenario": scenario,
        "measured_s": measured_s,
        "baseline": baseline,
        "baseline_s": baseline_s,
        "ratio": ratio,
        "goal": goal,
        **extra,
    }


def error_row(scenario, error):
    return {
        "scenario": scenario,
        "measured_s": math.nan,
        "baseline": "—",
        "baseline_s": math.nan,
        "ratio": math.nan,
        "goal": "ERROR",
        "error": error,
    }


# --- environment -------------------------------------------------------------------------------------------


def prepare_database():
    """PostgreSQL only (the figures mean nothing on SQLite): create the database if missing, then set Django up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqosite.settings.dev")
    # Administrators measured in-process sign in without an authenticator app (registry.two_factor).
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"bench: DATABASE_URL must point at PostgreSQL (got {url.split(':', 1)[0]}://…)")
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def load_demo_data():
    """The demo site gives the public pages (home, news, ...) real content; idempotent by contract."""
    from django.core.management import call_command

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo_data")


def redis_url():
    """REDIS_URL, or the local Redis when it answers: the served site then caches as in production."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis simply means local-memory cache
        return os.environ.get("REDIS_URL", "")
    return url


def machine_description():
    from django import get_version
    from django.db import connection

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = "not installed"
    if shutil.which("wrk"):
        probe = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        wrk = (probe.stdout + probe.stderr).split("\n", 1)[0].split(" [")[0].strip()
    redis_version = "not used"
    if url := redis_url():
        with contextlib.suppress(Exception):
            import redis

            redis_version = redis.Redis.from_url(url).info("server")["redis_version"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    import wagtail

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.stdout.strip() or "unknown",
        "cpu": f"{cpu} × {os.cpu_count()} (nproc)",
        "memory": memory,
        "os": platform.platform(terse=True),
        "software": f"Python {platform.python_version()}, Django {get_version()}, Wagtail {wagtail.__version__}, "
        f"PostgreSQL {postgres}, Redis {redis_version}, {wrk}",
    }


# --- the shared base data set: enterprises ------------------------------------------------------------------

# Bench enterprises carry organisation-code serials 9xxxxxxxx in their USCC, a range neither the demo data nor
# the factories use, so area modules can find them (bench_enterprises()) and a re-run only tops them up.
BENCH_USCC_REGEX = r"^91[0-9]{6}9"
NAME_HEADS = "华恒信通达盛泰鑫宏瑞安康博远嘉诚正德金源永丰天成中科新锐卓越立方长城海川东方"
NAME_TRADES = [
    "精密机械",
    "电子科技",
    "食品",
    "新材料",
    "化工",
    "纺织服饰",
    "医疗器械",
    "汽车零部件",
    "建材",
    "智能装备",
]
NAME_FORMS = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军", "杰", "涛", "明", "超", "平", "刚"]


def enterprise_name(rng, region_name):
    """A registered-name-like enterprise name: region, two-character trade name, trade, legal form."""
    head = "".join(rng.sample(NAME_HEADS, 2))
    return f"{region_name}{head}{rng.choice(NAME_TRADES)}{rng.choice(NAME_FORMS)}"


def bench_enterprises():
    """The enterprises of the bench data set (all organisations' scopes: ``unscoped``)."""
    from registry.models import Enterprise

    return Enterprise.unscoped.filter(uscc__regex=BENCH_USCC_REGEX)


def ensure_enterprises(scale):
    """Top the bench enterprises up to the scale's count with one COPY; returns (count, seconds spent)."""
    import random

    from django.db import connection
    from django.utils import timezone

    from registry.enterprise_size import classify
    from registry.factories import make_resident_id, make_uscc
    from registry.models import Enterprise, IndustryCategory, Organisation

    target = size(scale, "enterprises")
    existing = bench_enterprises().count()
    if existing >= target:
        return existing, 0.0
    started = time.perf_counter()
    regions = list(
        Organisation.objects.filter(division__isnull=False)
        .exclude(division__code__endswith="00")
        .values_list("division_id", "division__name", "id")
    )
    industries = list(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
    rng = random.Random(existing)
    now = timezone.now()
    columns = [
        "uscc", "name", "legal_representative", "legal_representative_id_number", "registered_address",
        "region_id", "organisation_id", "industry_id", "employees", "revenue", "assets", "size",
        "created_at", "updated_at",
    ]  # fmt: skip
    # Every other column takes its field's default (the contact details a registration adds later); a column with
    # no default would make the COPY fail, so it is named here instead.
    defaulted = [field for field in Enterprise._meta.concrete_fields if field.column not in columns + ["id"]]
    if missing := [field.column for field in defaulted if field.get_default() is None and not field.null]:
        raise RuntimeError(f"ensure_enterprises does not fill the new column(s) {sorted(missing)}: add them")
    columns += [field.column for field in defaulted]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in defaulted)
    with connection.cursor() as cursor:
        sql = f"COPY {Enterprise._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for serial in range(existing, target):
                region, region_name, organisation = regions[serial % len(regions)]
                industry = rng.choice(industries)
                # Skewed like the real register: most enterprises are small (medians ≈ 30 staff, 4 M CNY revenue).
                employees = 1 + int(rng.lognormvariate(3.4, 1.3))
                revenue, assets = (round(rng.lognormvariate(6, 1.8), 2) for _ in range(2))
                try:
                    size_class = classify(industry, employees=employees, revenue=revenue, assets=assets)
                except ValueError:
                    size_class = ""
                name = enterprise_name(rng, region_name)
                person = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES) + rng.choice(["", *GIVEN_NAMES])
                copy.write_row(
                    (
                        make_uscc(900_000_000 + serial, region),
                        name,
                        person,
                        make_resident_id(serial, region, birth=f"19{rng.randint(55, 95)}0{rng.randint(1, 9)}15"),
                        f"{region_name}工业园区{rng.randint(1, 300)}号",
                        region,
                        organisation,
                        industry,
                        employees,
                        revenue,
                        assets,
                        size_class,
                        now,
                        now,
                        *defaults,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Enterprise._meta.db_table}")
    return target, time.perf_counter() - started


# --- gunicorn servers and wrk ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn (2 sync workers, production settings) on a loopback port; stopped with SIGTERM."""

    def __init__(self, app, env):
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "cqosite" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            app,
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                requests.get(self.url + "/", timeout=5)
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn {app} did not start:\n{self.output()}")
            time.sleep(0.3)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def worker_memory_mib(self):
        """Resident memory of the largest gunicorn worker (for sizing: docs/deployment.md)."""
        pid = self.process.pid
        sizes = []
        with contextlib.suppress(OSError):
            for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                status = Path(f"/proc/{child}/status").read_text()
                sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return max(sizes, default=math.nan)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class LoadTester:
    """The portal and the bare hello view, served the same way; hello is measured once per run."""

    def __init__(self, scale):
        if not shutil.which("wrk"):
            raise RuntimeError("wrk is not installed: apt-get install wrk (Debian package)")
        self.scale = scale
        self.env = self.server_env()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=self.env, check=True
        )
        self.hello = Server("bench.hello:application", self.env)
        try:
            self.site = Server("cqosite.wsgi:application", self.env)
        except Exception:
            self.hello.stop()
            raise
        self.hello_figures = self.wrk(self.hello, "/")

    @staticmethod
    def server_env():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cqosite.settings.production",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": redis_url(),
            # A namespace of this run's own in a shared Redis: nothing cached by another database can leak in.
            "CACHE_KEY_PREFIX": f"bench{os.getpid()}",
        }
        if len(env.get("SECRET_KEY", "")) < 50:
            env["SECRET_KEY"] = secrets.token_urlsafe(48)
        # The servers read the personal identifiers the bench wrote in-process (registry.crypto): the same keys.
        from django.conf import settings

        env.setdefault("FIELD_ENCRYPTION_KEYS", ",".join(settings.FIELD_ENCRYPTION_KEYS))
        env.setdefault("FIELD_HASH_KEY", settings.FIELD_HASH_KEY)
        return env

    def wrk(self, server, path, uncached=(), mix=()):
        """wrk ``path``; with ``uncached`` (a list of paths), every request a different, never-cached URL; with
        ``mix`` (a list of paths), the paths in turn, counting page-cache answers (``hits``, ``stale`` and
        ``responses``)."""
        seconds = size(self.scale, "load_seconds")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
            if uncached:
                script.write(WRK_UNCACHED % ", ".join(json.dumps(item) for item in uncached))
            if mix:
                script.write(WRK_MIX % ", ".join(json.dumps(item) for item in mix))
        try:
            self.run_wrk(server, path, size(self.scale, "warmup_seconds"), script.name)
            output = self.run_wrk(server, path, seconds, script.name)
        finally:
            os.unlink(script.name)
        match = re.search(r"WRK_JSON (\{.*\})", output)
        if not match:
            raise RuntimeError(f"wrk printed no report for {path}:\n{output}")
        figures = json.loads(match.group(1))
        if hits := re.findall(r"WRK_HITS (\{.*\})", output):
            figures.update(json.loads(hits[-1]))
        figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
        for key in ("p50", "p95", "p99"):
            figures[key] = figures[key] / 1e6  # seconds
        if figures["non_2xx_3xx"] or figures["socket_errors"]:
            raise RuntimeError(
                f"{path}: {figures['non_2xx_3xx']} error responses, {figures['socket_errors']} socket errors"
            )
        return figures

    @staticmethod
    def run_wrk(server, path, seconds, script):
        command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", script, server.url + path]
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
        if result.returncode:
            raise RuntimeError(f"wrk failed on {path}: {result.stderr or result.stdout}")
        return result.stdout

    def status(self, path):
        return requests.get(self.site.url + path, timeout=30, allow_redirects=False).status_code

    def page(self, path):
        return requests.get(self.site.url + path, timeout=30).text

    def stop(self):
        self.site.stop()
        self.hello.stop()


_tester = None
MEMORY = {}  # gunicorn worker RSS (MiB) after the load test, for the report


def tester(scale):
    global _tester
    if _tester is None:
        _tester = LoadTester(scale)
    return _tester


def stop_servers():
    global _tester
    if _tester is not None:
        MEMORY.update(portal=_tester.site.worker_memory_mib(), hello=_tester.hello.worker_memory_mib())
        _tester.stop()
        _tester = None


LOAD_TABLE = []  # (label, path, figures, hello figures) for the load-test table of RESULTS.md


def load_test(scale, pages, throughput_goal=0.5, p95_goal=4.0, uncached=False):
    """wrk each ``{label: path}`` against the portal; two rows per page: 1/throughput and p95, vs hello's.

    ``uncached``: each value is a list of paths, cycled through with every request unique (see WRK_UNCACHED).
    """
    load = tester(scale)
    hello = load.hello_figures
    rows = []
    for label, paths in pages.items():
        if uncached:
            figures = load.wrk(load.site, paths[0], uncached=paths)
            path = f"{paths[0]} … ({len(paths):,} URLs, never cached)"
        else:
            figures, path = load.wrk(load.site, paths), paths
        LOAD_TABLE.append((label, path, figures, hello, throughput_goal, p95_goal))
        rows.append(
            row(
                f"load {label} ({path}): s/request = 1/throughput",
                1 / figures["rps"],
                "hello view",
                1 / hello["rps"],
                f"≤ {1 / throughput_goal:g} (≥ {throughput_goal:g}× hello's req/s)",
                rps=figures["rps"],
            )
        )
        rows.append(
            row(f"load {label} ({path}): p95 latency", figures["p95"], "hello p95", hello["p95"], f"≤ {p95_goal:g}")
        )
    return rows


def vacuum(*tables):
    """VACUUM ANALYZE ``tables`` after a bulk load or delete, as autovacuum would in time: a million dead rows
    left in an index slow every later module's queries on it (the talent pool's page 1 took 190 ms)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def timed(work, samples=15, before=None):
    """Median of ``samples`` runs of ``work`` after one untimed warm-up (``before`` runs untimed ahead of each)."""
    work()
    timings = []
    for _ in range(samples):
        if before:
            before()
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def admin_client(user):
    """A test client logged in as ``user`` on a host the settings allow: admin pages measured in-process."""
    from django.conf import settings
    from django.test import Client

    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")), "localhost")
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def admin_get(client, url):
    """Work for :func:`timed`: GET ``url``, failing loudly on anything but 200."""

    def work():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return work


def timed_get(url, samples):
    """Median wall time of ``samples`` sequential GETs on one keep-alive connection (after one warm-up), each
    with a parameter of its own (``_=n``) so that the page cache never answers."""
    separator = "&" if "?" in url else "?"
    with requests.Session() as session:
        session.get(f"{url}{separator}_=0", timeout=60).raise_for_status()
        times = []
        for sample in range(1, samples + 1):
            started = time.perf_counter()
            session.get(f"{url}{separator}_={sample}", timeout=60).raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def depth_test(scale, label, path, deep_page, page_parameter="page"):
    """Listing depth, uncached: page ``deep_page`` must be served within 2× of page 1 (public lists answer a page
    past their last numbered one with that page, registry.pagination.PUBLIC_MAX_PAGES)."""
    load = tester(scale)
    samples = size(scale, "depth_samples")
    separator = "&" if "?" in path else "?"
    first = timed_get(f"{load.site.url}{path}{separator}{page_parameter}=1", samples)
    deep = timed_get(f"{load.site.url}{path}{separator}{page_parameter}={deep_page}", samples)
    return row(f"depth {label} ({path}): page {deep_page:,}", deep, "page 1", first, "≤ 2")


# --- running -----------------------------------------------------------------------------------------------


def area_modules(only=None):
    names = sorted(info.name for info in pkgutil.iter_modules([str(BENCH_DIR)]) if info.name not in NOT_AREA_MODULES)
    return [name for name in names if not only or name in only]


def checked(name, rows):
    if not isinstance(rows, list):
        raise TypeError(f"bench.{name}.main must return a list of rows, got {type(rows).__name__}")
    for item in rows:
        missing = [key for key in ROW_KEYS if key not in item]
        if missing:
            raise ValueError(f"bench.{name}: row {item!r} lacks {', '.join(missing)}")
    return rows


def run_module_here(name, scale, rows_path):
    """Child side: run one module's ``main(scale)`` in this process and write its rows (and load figures) as JSON."""
    import django

    django.setup()
    try:
        module = importlib.import_module(f"bench.{name}")
        main = getattr(module, "main", None)
        rows = checked(name, main(scale)) if callable(main) else []
    finally:
        stop_servers()
    Path(rows_path).write_text(json.dumps({"rows": rows, "load": LOAD_TABLE, "memory": MEMORY}, default=str))


def run_module(name, scale):
    """Run ``bench/<name>.py`` in a child process of its own, killed (with any gunicorn it started) past the
    scale's time limit: a module that hangs (a COPY waiting on its own connection) or crashes is one error row."""
    started = time.monotonic()
    limit = int(os.environ.get("BENCH_MODULE_SECONDS") or size(scale, "module_seconds"))
    say(f"\n== bench.{name} ({scale})")
    with tempfile.TemporaryDirectory() as scratch:
        rows_path = Path(scratch) / "rows.json"
        command = [sys.executable, "-m", "bench", "--scale", scale, "--module", name, "--rows-to", str(rows_path)]
        child = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        try:
            child.wait(timeout=limit)
        except BaseException as interruption:  # the time limit, or Ctrl+C: the child's group is ours to end
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            if not isinstance(interruption, subprocess.TimeoutExpired):
                raise
            return [error_row(f"bench.{name}", f"killed after {limit} s (time limit of the {scale} scale)")]
        if child.returncode or not rows_path.exists():
            return [error_row(f"bench.{name}", f"exited with status {child.returncode} (traceback above)")]
        result = json.loads(rows_path.read_text())
    LOAD_TABLE.extend(tuple(entry) for entry in result["load"])
    MEMORY.update(result["memory"])
    say(f"   {len(result['rows'])} rows in {time.monotonic() - started:.0f} s")
    return result["rows"]


def run(scale, only=None, load=True):
    started = time.monotonic()
    prepare_database()
    rows = []
    try:
        try:
            count, spent = ensure_enterprises(scale)
            say(
                f"== data set: {count:,} bench enterprises"
                + (f" (COPY {spent:.1f} s)" if spent else " (already there)")
            )
        except Exception as error:  # noqa: BLE001 - reported as a failed row; the other scenarios still run
            traceback.print_exc()
            rows.append(error_row("data set: enterprises", f"{type(error).__name__}: {error}"))
        for name in area_modules(only):
            rows += run_module(name, scale)
        if load and (not only or "portal" in only):
            try:
                load_demo_data()
            except Exception as error:  # noqa: BLE001
                traceback.print_exc()
                rows.append(error_row("load_demo_data", f"{type(error).__name__}: {error}"))
            rows += run_module("portal", scale)
    finally:
        stop_servers()
    elapsed = time.monotonic() - started
    report = render(scale, rows, machine_description(), elapsed)
    say("\n" + report)
    write_results(scale, report)
    failed = [item for item in rows if item.get("goal") == "ERROR"]
    if failed:
        say(f"bench: {len(failed)} module(s) failed: " + ", ".join(item["scenario"] for item in failed))
        return 1
    return 0


# --- report ------------------------------------------------------------------------------------------------


def seconds(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def shown(item, figure):
    """A row's measured or baseline figure as printed: a time, unless the row gives a text (a share, a count)."""
    return item.get(f"{figure}_text") or seconds(item[f"{figure}_s"])


def ratio(value):
    return "—" if value is None or math.isnan(value) else f"{value:.2f}×"


def render(scale, rows, machine, elapsed):
    lines = [
        f"Run at **{scale}** scale on {machine['date']} (commit {machine['commit']}), {elapsed:.0f} s in all.",
        "",
        f"- CPU: {machine['cpu']}; memory: {machine['memory']}; {machine['os']}",
        f"- {machine['software']}",
        f"- Load: gunicorn, 2 sync workers, production settings; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, "
        f"{size(scale, 'load_seconds')} s per URL after {size(scale, 'warmup_seconds')} s warm-up, 127.0.0.1.",
    ]
    if MEMORY:
        memory = f"portal {MEMORY['portal']:.0f} MiB, hello {MEMORY['hello']:.0f} MiB"
        lines.append(f"- gunicorn worker memory (largest worker) after the load test: {memory}.")
    lines += [
        "",
        "| scenario | measured | baseline | baseline time | ratio | goal |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for item in rows:
        lines.append(
            f"| {item['scenario']} | {shown(item, 'measured')} | {item['baseline']} | "
            f"{shown(item, 'baseline')} | {ratio(item['ratio'])} | {item['goal']} |"
        )
    if LOAD_TABLE:
        lines += [
            "",
            "Load test (ratios to the bare Django hello view of the same run):",
            "",
            "| page | req/s | × hello | p50 | p95 | p99 | p95 × hello | goal met |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        hello = LOAD_TABLE[0][3]
        lines.append(
            f"| hello view (baseline) | {hello['rps']:.0f} | 1.00× | {seconds(hello['p50'])} | "
            f"{seconds(hello['p95'])} | {seconds(hello['p99'])} | 1.00× | |"
        )
        for label, path, figures, hello, throughput_goal, p95_goal in LOAD_TABLE:
            throughput = figures["rps"] / hello["rps"]
            p95 = figures["p95"] / hello["p95"]
            met = "yes" if throughput >= throughput_goal and p95 <= p95_goal else "no"
            lines.append(
                f"| {label} `{path}` | {figures['rps']:.0f} | {throughput:.2f}× | {seconds(figures['p50'])} | "
                f"{seconds(figures['p95'])} | {seconds(figures['p99'])} | {p95:.2f}× | {met} "
                f"(≥ {throughput_goal:g}×, ≤ {p95_goal:g}×) |"
            )
    errors = [item for item in rows if item.get("error")]
    if errors:
        lines += ["", "Errors:", ""] + [f"- {item['scenario']}: {item['error']}" for item in errors]
    return "\n".join(lines) + "\n"


HEADER = """# Benchmark results

Written by `python -m bench --scale full|small` (`make bench`, `make bench-small`); each scale's section is
replaced by its latest run. Every ratio compares with a baseline measured in the same run on the same machine,
so only ratios are comparable between machines. Ratio = measured / baseline: lower is better.
"""


def write_results(scale, report):
    sections = {}
    if RESULTS.exists():
        for match in re.finditer(r"<!-- scale:(\w+) -->\n(.*?)<!-- /scale:\1 -->", RESULTS.read_text(), re.S):
            sections[match.group(1)] = match.group(2)
    sections[scale] = report
    body = [HEADER]
    for name in ("full", "small"):
        if name in sections:
            body.append(
                f"\n## {name.capitalize()} scale\n\n<!-- scale:{name} -->\n{sections[name]}<!-- /scale:{name} -->\n"
            )
    RESULTS.write_text("".join(body))
