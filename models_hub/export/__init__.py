"""Exporting a model version as a folder that can be pushed to the Hugging Face Hub as is.

- folder.py: `model_version_export` writes README.md (the card), the version's stored files
  (read back verified by sha256) and the standalone loader;
- reference.py: `model_version_by_reference` resolves `MODEL@VERSION` (a number or an alias);
- standalone.py: the loader's hand-written part, `steward_label_classifier.py` once exported;
- bundle.py: replaces the loader's imports of Steward with Steward's own source of the names
  they import (text preparation, word features, the tuned layers' forward), so the exported
  loader reproduces Steward's predictions with the very same code and imports no Steward.

`manage.py export_model MODEL@VERSION DIR` runs it.
"""

LOADER_MODULE = "steward_label_classifier"
