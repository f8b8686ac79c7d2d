"""Writes of the analytics app: metric fills, attention tables, identity merges."""
