"""Reads of the analytics app: frames for the fills (`frames`), stored metrics for pages and API
(`dashboards`), a contributor's own activity (`people`)."""
