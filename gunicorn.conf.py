"""Gunicorn settings for the Pressedienst CMS (read from the working directory by default).

Everything a deployment tunes comes from the environment; the defaults suit a small container
or VM behind a TLS-terminating proxy. Gunicorn ignores names it does not know, so this file
also works with gunicorn versions that predate a setting.
"""

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{_env_int('PORT', 8000)}")

# WEB_CONCURRENCY is the name most platforms (and gunicorn itself) use for the worker count.
# Capped default: the CMS is database-bound, more workers than cores*2+1 only add memory.
workers = _env_int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8))
# Threads > 1 switches to the gthread worker, which keeps client connections alive.
threads = _env_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Import the site once in the master and fork: workers (and their replacements after
# max_requests) start in milliseconds instead of each importing Wagtail for seconds.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() in {"1", "true", "yes"}

# A request that takes longer than this is stuck (e.g. a hung image fetch): kill the worker.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak (image processing) cannot grow unbounded.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Logs go to stdout/stderr, where the container runtime or journald collects them.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# The heartbeat file on tmpfs: a container's overlay filesystem can stall it into timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn >= 25 opens a control socket under $HOME by default; several instances on one
# host (CI smoke test and load test) would fight over it, and nothing here uses it.
control_socket_disable = True
