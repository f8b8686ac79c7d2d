"""Production: PostgreSQL, Redis broker, separate workers. SECRET_KEY must be set."""

from urllib.parse import urlsplit, urlunsplit

from config.logging import logging_config
from config.settings.base import *  # noqa: F403
from config.settings.base import CELERY_BROKER_URL, LOG_LEVEL, REDIS_URL, env
from config.settings.steward import MODEL_STORAGE

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection that cannot be made in this many seconds fails (a request, /readyz) instead of
# holding a web worker for the system's TCP timeout (minutes).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )

# One JSON object per log line (LOG_FORMAT=text for plain lines).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)


def redis_cache_url(url: str) -> str:
    """The broker's Redis server, next database number (redis://h:6379/0 → redis://h:6379/1; a
    Redis has 16 by default, so the broker's is 0-14). Never the broker's own database: clearing
    the cache (FLUSHDB) would empty the queues."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{database + 1}"))


# The cache every process shares: API throttle counts, allauth's rate limits, the analytics
# tasks' "refresh already queued" marks (one refresh a minute for all workers, not one
# per process). CACHE_URL when given; else Redis beside the broker (REDIS_URL or a redis://
# CELERY_BROKER_URL); only a deployment with no Redis at all keeps each process's memory.
_redis = REDIS_URL or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
CACHE_URL = env("CACHE_URL", default="") or (
    redis_cache_url(_redis) if _redis else "locmemcache://"
)
CACHES = {"default": env.cache_url_config(CACHE_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer fails the request in seconds rather than hanging it.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 3, "socket_timeout": 3}
    )

# Behind one HTTPS proxy: it sets X-Forwarded-Proto and appends the client to X-Forwarded-For.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXY_COUNT}  # noqa: F405
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HSTS: browsers that saw the site once refuse plain HTTP to it for a year.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Asking to be on the browsers' preload list is for the owner of the whole domain to decide
# (hstspreload.org; leaving it takes months), so it is opt-in; `check --deploy`'s reminder
# (security.W021) is silenced while it is off. Likewise the HTTPS-redirect reminder
# (security.W008) when the proxy redirects and SECURE_SSL_REDIRECT=false.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "models": MODEL_STORAGE,
}
