"""The model hub's read-only API (models, versions, files, aliases, cards, benchmarks)."""
