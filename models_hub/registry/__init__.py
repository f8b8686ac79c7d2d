"""The generic model registry: registered models, their versions and files (content-addressed,
checked), aliases with their history, and the champion gate. It knows no specific kind of model:
loading a label classifier is `models_hub.training.serving`.

- files.py: storing, checking and reading back files (safetensors only for weights)
- versions.py: registering models and versions with their lineage
- aliases.py: moving aliases, with history
- promotion.py: the champion gate
"""
