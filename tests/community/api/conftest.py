"""The search tests' small community (a public, another public and a private repository)."""

from tests.search.conftest import staff, world  # noqa: F401
