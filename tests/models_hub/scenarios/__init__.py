"""Scenario builders shared by the model hub's tests (and other apps' tests that need a hub)."""
