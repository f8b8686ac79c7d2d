"""What every settings module reads: the project's root folder and its environment variables."""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's .env (see .env.example) is read if present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
