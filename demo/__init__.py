"""The demo: a generated GitHub community (`generator/`) and the steps that fill every other app
from it (`manage.py demo`: rollups, triage models, digests). It sits above the other apps and
imports them; no app imports it, and it has no models."""
