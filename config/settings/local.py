"""Embedded defaults for a developer's machine: SQLite, eager Celery, DEBUG on."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")

# Serve static files straight from the app/static folders; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The embedded demo and a developer's hooks: any repository a signed delivery names is tracked.
STEWARD_TRACK_REPOSITORIES = env("STEWARD_TRACK_REPOSITORIES", default="all")
