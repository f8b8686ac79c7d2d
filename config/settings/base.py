"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's .env (see .env.example) is read if present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, vendored in a package (the API docs page loads nothing from a CDN).
    "drf_spectacular_sidecar",
    "django_filters",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "community",
    "analytics",
    "models_hub",
    "accounts",
    "demo",  # above the others: `manage.py demo` fills them all
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes before the host check and the HTTPS redirect.
    "config.health.HealthCheckMiddleware",
    # Every other request gets an id (X-Request-ID) on its log records and its response.
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# django-axes first: it refuses a locked-out sign-in before any password is checked. The site's
# sign-in page (allauth) and the admin's both authenticate through this list.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth; accounts/). Anyone may sign up with a username and password, or sign
# in with GitHub when GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_SECRET are set (an OAuth app whose
# callback is https://<host>/accounts/github/login/callback/). Usernames, not e-mail addresses,
# sign in: django-axes keys its lockout on the `username` credential.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
# Steward sends no mail unless an operator configures it (EMAIL_URL); addresses are not verified.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="none")
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SIGNUP_ENABLED = env.bool("ACCOUNT_SIGNUP_ENABLED", default=True)
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# allauth's own rate limits stay on (sign-ups, password resets, …) except for failed sign-ins:
# django-axes counts those for the site's and the admin's sign-in alike (AXES_* below).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
# OAuth tokens are used once, at sign-in, to read the user's repository permissions; not kept.
SOCIALACCOUNT_STORE_TOKENS = False
GITHUB_OAUTH_CLIENT_ID = env("GITHUB_OAUTH_CLIENT_ID", default="")
GITHUB_OAUTH_SECRET = env("GITHUB_OAUTH_SECRET", default="")
# read:user is enough for public repositories; add `repo` so private repositories' push/maintain/
# admin permissions map to maintainer roles too.
GITHUB_OAUTH_SCOPE = env.list("GITHUB_OAUTH_SCOPE", default=["read:user", "user:email"])
SOCIALACCOUNT_PROVIDERS: dict = {}
if GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_SECRET:
    # The GitHub button is offered only when the app is configured.
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APP": {"client_id": GITHUB_OAUTH_CLIENT_ID, "secret": GITHUB_OAUTH_SECRET},
        "SCOPE": GITHUB_OAUTH_SCOPE,
    }

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

# Throttle counters and the analytics tasks' "already queued" marks. Processes share them only
# through a shared cache: with several web workers, set CACHE_URL (e.g. redis://redis:6379/1).
CACHES = {"default": env.cache_url_config(env("CACHE_URL", default="") or "locmemcache://")}

# Proxies in front of the web process that append the client's address to X-Forwarded-For.
# 0: REMOTE_ADDR is the client. Throttling and sign-in lockout key on this address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Browser sessions (CSRF-checked) and personal API tokens (`Authorization: Token <key>`,
    # stored hashed; accounts/authentication.py). No HTTP Basic: it would take passwords on every
    # request, outside the sign-in lockout.
    # The token class first: a wrong or revoked token is a 401 that says `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON_RATE", default="60/minute"),
        "user": env("API_THROTTLE_USER_RATE", default="600/minute"),
    },
    # Without it DRF keys anonymous clients on the whole X-Forwarded-For, which they write.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Steward API",
    "DESCRIPTION": "Community data, CHAOSS metrics, triage and models of a GitHub community.",
    "VERSION": "0.1.0",
    # The interactive page (/api/docs/) serves Swagger UI from drf-spectacular-sidecar's files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp). Scripts, styles and fonts come from our own static files
# only (vendored, no CDN): no inline <script>, no on…= handlers, no javascript: URLs, no <style>
# (tests/security/test_content_security_policy.py keeps templates that way). JSON islands
# (`json_script`, type="application/json") are data, never executed, so the policy allows them.
# style-src-attr 'unsafe-inline' lets style="…" attributes through, and only those: label
# swatches take GitHub's arbitrary colours and score bars their width from the server. An
# attribute cannot run script; url() in it is bound by img-src and font-src.
# Images: ours only (avatars too are served from Steward's own URLs), plus any https hosts listed
# in STEWARD_CSP_IMAGE_HOSTS: images that issue bodies and model cards link elsewhere stay blank.
STEWARD_CSP_IMAGE_HOSTS = env.list("STEWARD_CSP_IMAGE_HOSTS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", *STEWARD_CSP_IMAGE_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}
X_FRAME_OPTIONS = "DENY"  # browsers that predate frame-ancestors

# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failed sign-ins for one username from one
# address lock that pair out for AXES_COOLOFF_MINUTES. Keyed on the pair, not the address alone
# or the username alone, so nobody can lock a maintainer out from elsewhere. A successful sign-in
# clears the count. `manage.py axes_reset` unlocks everyone.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
# 0: locked until an administrator unlocks it.
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES) if AXES_COOLOFF_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"

# Celery. With no broker configured, tasks run eagerly in the calling process (embedded mode).
# REDIS_URL: the Redis server of a deployment; the broker's default (production also derives its
# shared cache from it, see config/settings/production.py).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Only the model worker consumes `embeddings`; it is the one process that imports torch.
CELERY_TASK_ROUTES = {
    "models_hub.embeddings.*": {"queue": "embeddings"},
    # Triage and training read the embeddings and may run the encoder or the classifier's torch.
    "models_hub.triage.triage_issues": {"queue": "embeddings"},
    "models_hub.triage.retrain_label_classifier": {"queue": "embeddings"},
    # Benchmark training and challenger replays load classifiers (torch for fine-tuned ones).
    "models_hub.training.*": {"queue": "embeddings"},
    "models_hub.triage.run_challenger_replay": {"queue": "embeddings"},
    # Search encodes the query's text with the same model.
    "community.search.embed_query": {"queue": "embeddings"},
}
# Task modules outside the apps' `tasks` packages.
CELERY_IMPORTS = ["community.search.tasks"]
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_TIMEZONE = TIME_ZONE

# GitHub.
GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com")
# Several tokens may be given (comma-separated); the client rotates when one runs low.
GITHUB_TOKENS = env.list("GITHUB_TOKEN", default=[])
# GitHub App installation auth (used before the tokens when set). The key: PEM text or a file.
GITHUB_APP_ID = env("GITHUB_APP_ID", default="")
GITHUB_APP_PRIVATE_KEY = env("GITHUB_APP_PRIVATE_KEY", default="")
GITHUB_APP_PRIVATE_KEY_PATH = env("GITHUB_APP_PRIVATE_KEY_PATH", default="")
GITHUB_APP_INSTALLATION_ID = env("GITHUB_APP_INSTALLATION_ID", default="")
# Requests left on a credential below which the sync rotates to another one or pauses.
GITHUB_RATE_LIMIT_RESERVE = env.int("GITHUB_RATE_LIMIT_RESERVE", default=50)
# Pause between two requests on one credential (GitHub asks for serial, unhurried requests).
GITHUB_SECONDS_BETWEEN_REQUESTS = env.float("GITHUB_SECONDS_BETWEEN_REQUESTS", default=0.25)
# Minutes between the scheduled incremental syncs of every tracked repository.
GITHUB_SYNC_INTERVAL_MINUTES = env.int("GITHUB_SYNC_INTERVAL_MINUTES", default=30)
CELERY_BEAT_SCHEDULE["community-sync-tracked-repositories"] = {
    "task": "community.sync_tracked_repositories",
    "schedule": GITHUB_SYNC_INTERVAL_MINUTES * 60.0,
}
# Two secrets may be configured at once while a webhook secret is rotated.
GITHUB_WEBHOOK_SECRETS = env.list("GITHUB_WEBHOOK_SECRET", default=[])
# GitHub never delivers more than 25 MB; the receiver reads the body itself (not request.body),
# so DATA_UPLOAD_MAX_MEMORY_SIZE does not turn a big delivery into a 400.
GITHUB_WEBHOOK_MAX_BODY_BYTES = env.int("GITHUB_WEBHOOK_MAX_BODY_BYTES", default=25 * 1024 * 1024)
# Which repositories signed webhook deliveries may add (and list publicly, when public):
# "configured" (the default): only those owned by an account in STEWARD_TRACKED_OWNERS or reached
# through an installation in STEWARD_TRACKED_INSTALLATIONS (default: GITHUB_APP_INSTALLATION_ID);
# "all": any repository a signed delivery names (the local and test settings' default). Others
# are stored as deliveries and marked ignored. Repositories a maintainer adds are always tracked.
STEWARD_TRACK_REPOSITORIES = env("STEWARD_TRACK_REPOSITORIES", default="configured")
if STEWARD_TRACK_REPOSITORIES not in ("configured", "all"):
    raise ImproperlyConfigured(
        f"STEWARD_TRACK_REPOSITORIES={STEWARD_TRACK_REPOSITORIES!r}: configured or all"
    )
STEWARD_TRACKED_OWNERS = env.list("STEWARD_TRACKED_OWNERS", default=[])
STEWARD_TRACKED_INSTALLATIONS = env.list(
    "STEWARD_TRACKED_INSTALLATIONS",
    cast=int,
    default=[int(GITHUB_APP_INSTALLATION_ID)] if GITHUB_APP_INSTALLATION_ID else [],
)
# Re-queues webhook deliveries still pending after a minute (broker down, message lost).
CELERY_BEAT_SCHEDULE["community-sweep-webhook-deliveries"] = {
    "task": "community.webhooks.sweep_deliveries",
    "schedule": 60.0,
}

# Avatars. Pages always show them from Steward's own URLs (the reader's browser never contacts
# GitHub). drawn: Steward draws each account's initial. github: Steward's server fetches the real
# avatar once from STEWARD_AVATAR_ORIGIN (https, no redirects, with a timeout and a size limit),
# keeps it in STEWARD_AVATAR_CACHE_DIR and refreshes it after STEWARD_AVATAR_REFRESH_SECONDS.
STEWARD_AVATARS = env("STEWARD_AVATARS", default="drawn")
if STEWARD_AVATARS not in ("drawn", "github"):
    raise ImproperlyConfigured(f"STEWARD_AVATARS={STEWARD_AVATARS!r}: drawn or github")
STEWARD_AVATAR_ORIGIN = "https://avatars.githubusercontent.com/"
STEWARD_AVATAR_CACHE_DIR = Path(
    env("STEWARD_AVATAR_CACHE_DIR", default="") or BASE_DIR / "var" / "avatars"
)
STEWARD_AVATAR_MAX_BYTES = env.int("STEWARD_AVATAR_MAX_BYTES", default=1024 * 1024)
STEWARD_AVATAR_TIMEOUT_SECONDS = env.float("STEWARD_AVATAR_TIMEOUT_SECONDS", default=5.0)
STEWARD_AVATAR_REFRESH_SECONDS = env.int("STEWARD_AVATAR_REFRESH_SECONDS", default=7 * 24 * 3600)

# Analytics (CHAOSS metrics). Accounts to treat as bots on top of GitHub's `Bot` type and the
# `[bot]`/`-bot` suffixes (comma-separated logins).
STEWARD_BOT_LOGINS = env.list("STEWARD_BOT_LOGINS", default=[])
# Open items idle for more than this many days are stale.
ANALYTICS_STALE_DAYS = env.int("ANALYTICS_STALE_DAYS", default=30)
# Periods read and computed together by a fill (memory stays bounded by one window).
ANALYTICS_FILL_CHUNK = {"week": 13, "month": 3}
# An incremental fill recomputes this many recent periods: late answers change their metrics.
ANALYTICS_REFILL_PERIODS = {"week": 8, "month": 3}
CELERY_BEAT_SCHEDULE["analytics-rollups-incremental"] = {
    "task": "analytics.rollups_refresh",
    "schedule": env.int("ANALYTICS_REFRESH_MINUTES", default=15) * 60.0,
}
# Nightly full recompute: an answer to a years-old item changes that item's opening period.
CELERY_BEAT_SCHEDULE["analytics-rollups-full"] = {
    "task": "analytics.rollups_recompute",
    "schedule": 24 * 3600.0,
}
# Activity digests: every day, shortly after midnight UTC, refresh the current week's and month's
# and make the ones that just ended final.
CELERY_BEAT_SCHEDULE["analytics-digests"] = {
    "task": "analytics.digests_generate",
    "schedule": crontab(minute=30, hour=0),
}

# Embedding model: a local path or a sentence-transformers name. Empty = the bundled MiniLM.
STEWARD_EMBEDDING_MODEL = env("STEWARD_EMBEDDING_MODEL", default="")
# CPU workers encode mean-pooled BERT models (the bundled one) with a lean forward: bfloat16 where
# the CPU computes it natively, batches in parallel threads. false: plain sentence-transformers.
STEWARD_EMBEDDING_FAST_CPU = env.bool("STEWARD_EMBEDDING_FAST_CPU", default=True)

# Search (/search/): how long a search waits for the embeddings worker to encode the query (then
# it answers with full-text matches only, and says so), and the least cosine similarity for an
# item to count as a semantic match.
STEWARD_SEARCH_EMBED_TIMEOUT = env.float("STEWARD_SEARCH_EMBED_TIMEOUT", default=2.0)
STEWARD_SEARCH_MIN_SIMILARITY = env.float("STEWARD_SEARCH_MIN_SIMILARITY", default=0.3)
# With no broker (tasks run eagerly), a search never encodes its query in the web process (that
# would load the model and torch there): word matches and stored-vector neighbours only.
# true: encode in-process anyway (tests do, with a fake encoder).
STEWARD_SEARCH_ENCODE_IN_PROCESS = env.bool("STEWARD_SEARCH_ENCODE_IN_PROCESS", default=False)

# Model registry: every file of every model version (weights, config, card), stored once under
# its sha256 and never overwritten, in the Django storage named "models". Local files in
# STEWARD_MODEL_STORE by default; STEWARD_MODEL_STORAGE=s3 keeps them in an S3-compatible bucket
# through django-storages (`pip install "steward[s3]"`; the AWS_* variables in docs/deploy.md).
STEWARD_MODEL_STORE = Path(env("STEWARD_MODEL_STORE", default="") or BASE_DIR / "var" / "models")
STEWARD_MODEL_STORAGE = env("STEWARD_MODEL_STORAGE", default="local")
if STEWARD_MODEL_STORAGE == "s3":
    MODEL_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "location": env("STEWARD_MODEL_STORAGE_PREFIX", default="models"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif STEWARD_MODEL_STORAGE == "local":
    MODEL_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(STEWARD_MODEL_STORE), "file_permissions_mode": 0o444},
    }
else:
    raise ImproperlyConfigured(f"STEWARD_MODEL_STORAGE={STEWARD_MODEL_STORAGE!r}: local or s3")
# The largest file a maintainer may upload as part of a model version (default 2 GiB).
STEWARD_MODEL_UPLOAD_MAX_BYTES = env.int("STEWARD_MODEL_UPLOAD_MAX_BYTES", default=2 * 1024**3)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "models": MODEL_STORAGE,
}
# Issues opened, edited, reopened or transferred in (webhook or sync) are embedded then triaged.
STEWARD_TRIAGE_AUTO = env.bool("STEWARD_TRIAGE_AUTO", default=True)
# Workflow labels the label classifier never learns or suggests (comma-separated, any case).
STEWARD_TRIAGE_IGNORED_LABELS = env.list(
    "STEWARD_TRIAGE_IGNORED_LABELS",
    default=[
        "duplicate",
        "good first issue",
        "help wanted",
        "invalid",
        "needs-triage",
        "needs triage",
        "stale",
        "triage",
        "wontfix",
        "won't fix",
    ],
)
# How label classifiers are trained: ensemble (finetuned's classifier averaged with a TF-IDF
# n-gram one and one on the stored embedding; the best suggestions, minutes of CPU per training),
# finetuned (the sentence model's top layers tuned per repository) or frozen (stored embeddings
# only; seconds). See models_hub/training/labels.py.
STEWARD_LABEL_CLASSIFIER_METHOD = env("STEWARD_LABEL_CLASSIFIER_METHOD", default="ensemble")
# Hours between checks for repositories whose label classifier has new labelled issues or new
# maintainer feedback since its active version; those are retrained.
STEWARD_TRIAGE_RETRAIN_HOURS = env.int("STEWARD_TRIAGE_RETRAIN_HOURS", default=24)
CELERY_BEAT_SCHEDULE["models-hub-retrain-label-classifiers"] = {
    "task": "models_hub.triage.retrain_due_label_classifiers",
    "schedule": STEWARD_TRIAGE_RETRAIN_HOURS * 3600.0,
}

# Logs: one console handler; LOG_FORMAT=json writes one JSON object per line (production's
# default), text a plain line. Both carry the request's id (config/logging.py).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
