"""Load test of the public portal: every public page that answers 200, its first detail page, listing depth.

Pages are found rather than listed by hand, so the table grows as the registries land: the candidates below
that answer 200 are measured, plus the first detail link of each listing and ``BENCH_URLS`` ("label=/path,...").
Goals (issue 9): cacheable pages ≥ 0.5× the hello view's req/s with p95 ≤ 4× its p95; search ≥ 0.2×;
page 10,000 of a listing within 2× of page 1 (public lists answer it with their last listed page). The working day
(issue 25): the same pages in turn while administrators write (bench/workday.py): ≥ 0.8× hello's req/s, p95 ≤ 2×,
at least 98 % of requests answered by the page cache. Uncached (issue 25: a first visit, a cache node restart): the
same pages with every request a URL the page cache has not seen, ≥ 0.1× hello's req/s.
``BENCH_PORTAL_ONLY=working-day`` measures the working day alone.
"""

import json
import os
import re
import subprocess
import sys
from urllib.parse import quote

from bench import harness

CACHEABLE = {
    "home": "/",
    "news list": "/news/",
    "standards list": "/standards/",
    "talent pool": "/talent-pool/",
}
SEARCHES = {
    "site search": "/search/?q=" + quote("质量"),
    "standard search": "/standards/?q=" + quote("质量"),
}
LISTINGS = ("news list", "standards list", "talent pool")
#: Pages measured uncached as well: what a first visitor, or everyone after a cache node restart, waits for.
UNCACHED = ("home", "news list", "standards list", "talent pool")
DEEPEST_PAGE = 10_000


def answering(load, pages):
    found = {}
    for label, path in pages.items():
        status = load.status(path)
        if status == 200:
            found[label] = path
        else:
            harness.say(f"   {label} {path}: {status}, not measured")
    return found


def first_detail(load, listing_path):
    """The first of the deepest links below the listing's prefix (``/news/<section>/<slug>/``): one of its items."""
    links = re.findall(r'<a\b[^>]*\bhref="([^"#?]+)"', load.page(listing_path))
    items = [href for href in links if href.startswith(listing_path) and href != listing_path and "/feed" not in href]
    for href in sorted(items, key=lambda href: -href.count("/"))[:5]:
        if load.status(href) == 200:
            return href
    return None


def has_pages(load, path):
    return bool(re.search(r"[?&]page=2\b", load.page(path)))


def extra_pages():
    pairs = (item.split("=", 1) for item in os.environ.get("BENCH_URLS", "").split(",") if "=" in item)
    return {label.strip(): path.strip() for label, path in pairs}


#: Writes a second during the working-day test (a country's administrators at work), per scale.
WORKDAY_WRITES_PER_SECOND = {"full": 20, "small": 10}


def working_day(scale, cacheable):
    """The cacheable pages in turn while bench/workday.py writes as administrators do: throughput, p95, hit rate."""
    load = harness.tester(scale)
    hello = load.hello_figures
    seconds = harness.size(scale, "warmup_seconds") + harness.size(scale, "load_seconds")
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.workday", str(seconds), str(WORKDAY_WRITES_PER_SECOND[scale])],
        cwd=harness.ROOT,
        env=load.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if writer.stdout.readline().strip() != "WORKDAY_READY":
            raise RuntimeError("bench.workday did not start")
        figures = load.wrk(load.site, "/", mix=list(cacheable.values()))
    finally:
        output, _errors = writer.communicate(timeout=seconds + 300)
    if writer.returncode:
        raise RuntimeError(f"bench.workday exited with status {writer.returncode}")
    writes = json.loads(re.search(r"WORKDAY_JSON (\{.*\})", output).group(1))
    done = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in writes.items())
    label = f"working day ({len(cacheable)} public pages in turn; writes: {done})"
    # A stale page is the cache's answer while another request renders that page again (cqosite.pagecache).
    answered = figures["hits"] + figures["stale"]
    misses = (figures["responses"] - answered) / max(figures["responses"], 1)
    harness.LOAD_TABLE.append((label, "/ …", figures, hello, 0.8, 2.0))
    return [
        harness.row(
            f"{label}: s/request = 1/throughput",
            1 / figures["rps"],
            "hello view",
            1 / hello["rps"],
            "≤ 1.25 (≥ 0.8× hello's req/s)",
            rps=figures["rps"],
        ),
        harness.row(f"{label}: p95 latency", figures["p95"], "hello p95", hello["p95"], "≤ 2"),
        harness.row(
            f"{label}: share of requests the page cache missed",
            misses,
            "every request",
            1.0,
            "≤ 0.02 (hit rate ≥ 98 %)",
            measured_text=f"{misses:.2%} of {figures['responses']:,} ({figures['stale']:,} stale)",
            baseline_text="100 %",
        ),
    ]


def main(scale):
    load = harness.tester(scale)
    cacheable = answering(load, {**CACHEABLE, **extra_pages()})
    for label in LISTINGS:
        if label not in cacheable:
            continue
        if detail := first_detail(load, cacheable[label]):
            cacheable[f"{label.removesuffix(' list')} detail"] = detail
        else:
            harness.say(f"   {label}: no item link below {cacheable[label]} answered 200, no detail page measured")
    if os.environ.get("BENCH_PORTAL_ONLY") == "working-day":
        return report(working_day(scale, cacheable))
    searches = answering(load, {label: path for label, path in SEARCHES.items() if path not in cacheable.values()})
    rows = harness.load_test(scale, cacheable) + harness.load_test(scale, searches, throughput_goal=0.2)
    first_visits = {f"{label}, uncached": [path] for label, path in cacheable.items() if label in UNCACHED}
    rows += harness.load_test(scale, first_visits, throughput_goal=0.1, uncached=True)
    rows += working_day(scale, cacheable)
    for label in LISTINGS:
        if label not in cacheable:
            continue
        if not has_pages(load, cacheable[label]):
            harness.say(f"   {label}: a single page at this scale, depth not measured")
            continue
        # Public lists number at most registry.pagination.PUBLIC_MAX_PAGES pages: page 10,000 answers the last.
        rows.append(harness.depth_test(scale, label, cacheable[label], DEEPEST_PAGE))
    return report(rows)


def report(rows):
    for item in rows:
        harness.say(
            f"   {item['scenario']}: {harness.shown(item, 'measured')} vs {harness.shown(item, 'baseline')}"
            f" = {harness.ratio(item['ratio'])} (goal {item['goal']})"
        )
    return rows
