"""The model hub's pages (/models/): index, model, version, compare, files, benchmarks and
leaderboards, and the maintainers' actions. URLs: models_hub/hub_urls.py."""
