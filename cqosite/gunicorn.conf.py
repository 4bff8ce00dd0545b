"""gunicorn settings: ``gunicorn -c cqosite/gunicorn.conf.py cqosite.wsgi``; every value can be set by environment.

Sync workers suit a CPU-bound Django site behind a buffering proxy (nginx): the proxy absorbs slow clients.
Rule of thumb: WEB_CONCURRENCY = 2 x cores per application server (docs/deployment.md, "Sizing").
"""

import os

# Web requests come back to back: a connection used in the last second skips Django's per-request health check
# (cqosite/postgresql/base.py). Set before the application loads (preload_app), so the settings read it.
os.environ.setdefault("DB_HEALTH_CHECK_AFTER_IDLE", "1")

bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # PDF exports and imports are the slow requests
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak in a library cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
preload_app = True  # import Django once in the master; workers fork with it loaded (less memory, faster start)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "cqo-web"
# gunicorn's control socket (gunicornc) defaults to one path per user, which several instances on one machine
# (the site, the benchmark's servers, smoke tests) would take from each other: off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def post_fork(server, worker):
    """Connections opened by the master while preloading must not be shared with the forked workers."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
