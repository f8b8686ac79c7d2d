"""What each release shipped, for upgrades: the last migration of each Steward app, and the
SHA-256 of every migration file it contained.

From 0.1.0 on, migrations are incremental: a released migration is never edited nor regenerated
(a deployed database has applied it), and the suite checks both that the files below are
unchanged and that a database at each release's schema migrates to the current one
(tests/test_release_upgrade.py). Add a release here when you cut one (see CHANGELOG.md).
"""

from __future__ import annotations

RELEASES: dict[str, dict[str, dict[str, str]]] = {
    "0.1.0": {
        "community": {
            "0001_initial": "599cee4bb7a2eacb9e134f4654d6daa73c99b9e2c96b9f6c76832179f97ab957",
        },
        "analytics": {
            "0001_initial": "fbce26e1779e67f9c2040ae94ff1de83ff1b15251959f40cf04669dd56ebb70a",
        },
        "models_hub": {
            "0001_initial": "2e4b96831c21833a72e48eb6928834f7bc70707efa5bf0976548dbe16af59d8b",
            "0002_model_hub": "a88c6fddc0ff137ccf9a9bae48e89785399f5c7ba05695a64b8c3f5a766e716b",
            "0003_challenger_replay_benchmarks": (
                "afe499ccc41bb4d14314ce0879c40ece66bfea10bf24cfc5af4a3cf54996236f"
            ),
        },
    },
}


def release_targets(version: str) -> dict[str, str]:
    """The last migration of each app in `version` (the argument `migrate APP NAME` takes)."""
    return {app: max(migrations) for app, migrations in RELEASES[version].items()}
