"""Stable synthetic GitHub ids for the demo community.

Real GitHub ids are below 10^11; demo ids start at 10^15 so they never collide with them. Each
object type has its own range and each seed its own slot inside it, so two demo communities
generated with different seeds can share a database without overwriting each other.
"""

from __future__ import annotations

from collections import defaultdict

DEMO_ID_BASE = 10**15
_KIND_STRIDE = 10**13
_SEED_STRIDE = 10**10
_SEED_SLOTS = _KIND_STRIDE // _SEED_STRIDE

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


class IdAllocator:
    """Hands out consecutive ids per object type; same call order ⇒ same ids."""

    def __init__(self, *, seed: int) -> None:
        self._slot = seed % _SEED_SLOTS
        self._serials: defaultdict[str, int] = defaultdict(int)

    def next(self, kind: str) -> int:
        self._serials[kind] += 1
        return self.base(kind) + self._serials[kind]

    def base(self, kind: str) -> int:
        return DEMO_ID_BASE + KINDS[kind] * _KIND_STRIDE + self._slot * _SEED_STRIDE

    def span(self, kind: str) -> tuple[int, int]:
        """[first, last) of the ids this seed can hand out for `kind`."""
        return self.base(kind), self.base(kind) + _SEED_STRIDE


def is_demo_id(value: int) -> bool:
    return DEMO_ID_BASE <= value < DEMO_ID_BASE + (max(KINDS.values()) + 1) * _KIND_STRIDE
