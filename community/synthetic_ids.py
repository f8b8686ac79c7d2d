"""The id range of generated (demo) GitHub objects, so pages can tell them from real ones.

Real GitHub ids are below 10^11; generated ones start at 10^15 so they never collide with them.
Each object type has its own range (`KINDS`); the generator (demo/generator/ids.py) hands ids
out inside them, one slot per seed.
"""

from __future__ import annotations

DEMO_ID_BASE = 10**15
KIND_STRIDE = 10**13

KINDS: dict[str, int] = {
    "actor": 1,
    "repository": 2,
    "label": 3,
    "milestone": 4,
    "issue": 5,
    "pull_request": 6,
    "review": 7,
    "comment": 8,
    "event": 9,
    "release": 10,
    "installation": 11,
}


def is_demo_id(value: int) -> bool:
    return DEMO_ID_BASE <= value < DEMO_ID_BASE + (max(KINDS.values()) + 1) * KIND_STRIDE
