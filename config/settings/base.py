"""Settings shared by every environment. Everything that differs comes from the environment.

Django's and the frameworks' settings are here; Steward's own (GitHub, analytics, models,
triage) are in steward.py, imported at the end.
"""

from __future__ import annotations

from datetime import timedelta

from config.logging import logging_config
from config.settings.environment import BASE_DIR, env

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
CELERY_TIMEZONE = TIME_ZONE

# Logs: one console handler; LOG_FORMAT=json writes one JSON object per line (production's
# default), text a plain line. Both carry the request's id (config/logging.py).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

from config.settings.steward import *  # noqa: E402, F403
