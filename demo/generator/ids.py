"""Stable synthetic GitHub ids for the demo community.

Real GitHub ids are below 10^11; demo ids start at 10^15 so they never collide with them (the
range lives in community/synthetic_ids.py, for the pages). Each object type has its own range
and each seed its own slot inside it, so two demo communities generated with different seeds
can share a database without overwriting each other.
"""

from __future__ import annotations

from collections import defaultdict

from community.synthetic_ids import DEMO_ID_BASE, KINDS, is_demo_id
from community.synthetic_ids import KIND_STRIDE as _KIND_STRIDE

__all__ = ["DEMO_ID_BASE", "KINDS", "IdAllocator", "is_demo_id"]

_SEED_STRIDE = 10**10
_SEED_SLOTS = _KIND_STRIDE // _SEED_STRIDE


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
