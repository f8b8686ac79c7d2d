"""The data API, read-only: repositories, issues, pull requests, comments, contributors and
search, at /api/ (config/urls.py). Every list starts from community.selectors.visibility."""
