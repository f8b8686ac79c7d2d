"""gunicorn settings for the web process: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Everything comes from the environment, like the Django settings (docs/deploy.md lists it all);
command-line flags still win over this file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# gunicorn's master reads this file before the app is imported: the project must be importable.
PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from config.logging import logging_config  # noqa: E402


def _cores() -> int:
    # The CPUs this process may run on (a container's cpuset), not every core of the host.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{int(os.environ.get('PORT', '8000'))}"]
# gunicorn's rule of thumb. Each worker holds its own database connection per thread
# (CONN_MAX_AGE): workers times threads of every web machine must fit PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request running longer than this is killed and its worker replaced. The slowest pages
# (dashboards of a large community, exports) take seconds; webhooks are stored and queued.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than nothing, shorter than the proxy's idle timeout (the proxy closes first).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then: bounded memory growth, jittered so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master; workers fork with it (faster starts, shared memory).
preload_app = True
# Temporary files of request bodies in memory, not a container's (possibly slow) disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Which peers may tell gunicorn the request came over HTTPS (X-Forwarded-Proto). The same
# proxies Django trusts for the client's address (TRUSTED_PROXY_COUNT, 1 by default in
# production): with none, nobody; with proxies, FORWARDED_ALLOW_IPS (their addresses or
# networks), or any peer ("*") when only the proxies can reach the web port, as in compose.yaml.
_proxies = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*") if _proxies else ""

# Logs: errors on stderr, one access line per request on stdout, both in LOG_FORMAT (json by
# default, like the production settings), through the same handlers as the Django app.
_log_format = os.environ.get("LOG_FORMAT", "json")
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
accesslog = "-"
# The text line; the JSON formatter takes its fields from the same atoms.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-request-id}o)s'
logconfig_dict = logging_config(log_format=_log_format, level=loglevel)
logconfig_dict["formatters"]["access_json"] = {"()": "config.logging.AccessJsonFormatter"}
logconfig_dict["handlers"]["access"] = {
    "class": "logging.StreamHandler",
    "formatter": "access_json" if _log_format == "json" else "text",
    "filters": ["context"],
    "stream": "ext://sys.stdout",
}
logconfig_dict["loggers"].update(
    {
        # Not propagated: the Django app's root handler would write each line a second time.
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    }
)
