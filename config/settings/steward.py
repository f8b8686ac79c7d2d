"""Steward's own settings: GitHub and its webhooks, avatars, analytics, the embedding model,
search, the model registry and triage, with the periodic tasks each schedules (Celery beat).
base.py holds Django's and the frameworks' settings and imports these."""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import BASE_DIR, env

# Each section adds its periodic tasks.
CELERY_BEAT_SCHEDULE: dict = {}

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
# How label classifiers are trained: ensemble (finetuned's classifier combined with a TF-IDF
# word and character n-gram one; the best suggestions, a few minutes of CPU per training),
# finetuned (the sentence model's layers tuned per repository) or frozen (stored embeddings
# only; seconds). See models_hub/training/labels.py.
STEWARD_LABEL_CLASSIFIER_METHOD = env("STEWARD_LABEL_CLASSIFIER_METHOD", default="ensemble")
# Hours between checks for repositories whose label classifier has new labelled issues or new
# maintainer feedback since its active version; those are retrained.
STEWARD_TRIAGE_RETRAIN_HOURS = env.int("STEWARD_TRIAGE_RETRAIN_HOURS", default=24)
CELERY_BEAT_SCHEDULE["models-hub-retrain-label-classifiers"] = {
    "task": "models_hub.triage.retrain_due_label_classifiers",
    "schedule": STEWARD_TRIAGE_RETRAIN_HOURS * 3600.0,
}
