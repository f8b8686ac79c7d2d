"""Triage suggestions for issues: duplicate candidates and label classification."""
