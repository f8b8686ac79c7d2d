"""Labelled issue texts shared by the label-classifier tests."""

from __future__ import annotations

# Issue-like titles a sentence model can tell apart (fine-tuning tests, real MiniLM).
BUGS = [
    "App crashes with a segmentation fault when opening large files",
    "Error: undefined is not a function after upgrading to 2.0",
    "Exception thrown when saving settings, stack trace attached",
    "Regression: the build fails on Windows since yesterday",
    "Crash on startup with a null pointer exception",
    "The export button throws an error and nothing is written",
    "Memory leak makes the server crash after an hour",
    "Wrong result: sorting a list returns items out of order",
]
FEATURES = [
    "Feature request: add a dark theme to the editor",
    "Please support exporting reports as CSV files",
    "Add an option to configure the default branch name",
    "It would be nice to have keyboard shortcuts for navigation",
    "Proposal: allow plugins to register custom commands",
    "Support for the new image format would be great",
    "Add a setting to disable telemetry",
    "Enhancement: let users pin favourite projects",
]
QUESTIONS = [
    "How do I install this on an offline machine?",
    "Question: what is the recommended way to deploy with Docker?",
    "Is it possible to use the library from a Jupyter notebook?",
    "How can I change the log level at runtime?",
    "What does the --strict flag do exactly?",
    "Where can I find documentation about the config file?",
    "Why is my configuration ignored? Am I using it wrong?",
    "Can someone explain how authentication works here?",
]

# Templated texts whose words alone give the label away (fake-encoder tests).
SYNTHETIC_BUGS = [f"Crash with traceback in module {n} when saving" for n in range(12)]
SYNTHETIC_FEATURES = [f"Feature request: please add option {n} to the settings" for n in range(12)]
SYNTHETIC_QUESTIONS = [
    f"How do I configure proxy number {n}? question about usage" for n in range(12)
]
