"""Running a snippet in a fresh interpreter: settings read at import, and modules a process
imports, can only be seen in a process of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.conftest import REPO_ROOT


def python_json(script: str, *args: str, env: dict[str, str]) -> tuple[Any, str]:
    """Run `script` in the project with os.environ plus `env`: the last line it printed, read as
    JSON, and what it wrote on stderr. The test fails with that stderr if the snippet fails."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr
