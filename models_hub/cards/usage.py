"""The card's "How to use" (a snippet that runs in the exported folder) and "Reproducibility"
sections."""

from __future__ import annotations

from models_hub.cards.tables import cell, code, markdown_table
from models_hub.export import LOADER_MODULE
from models_hub.models import ModelVersion

INSTALL = "pip install numpy safetensors scikit-learn sentence-transformers"


def how_to_use_markdown(version: ModelVersion) -> str:
    labels = version.metadata.get("labels") or sorted(version.training_label_counts)
    shown = ", ".join(repr(str(label)) for label in labels[:6]) + (", …" if len(labels) > 6 else "")
    name = version.model.name
    snippet = f"""```python
# {INSTALL}
from {LOADER_MODULE} import StewardLabelClassifier

classifier = StewardLabelClassifier.from_folder(".")  # the folder holding this README
suggestion = classifier.suggest_issue(
    title="App crashes when saving a file",
    body="Steps to reproduce: open a file and press save. Traceback attached.",
)
print(suggestion.label)  # one of {shown}, or None: unsure
print(suggestion.confidence, suggestion.scores)  # the top probability, every label's
```"""
    hub = f"""```python
import sys

from huggingface_hub import snapshot_download

folder = snapshot_download("YOUR-NAMESPACE/{name}")
sys.path.insert(0, folder)
from {LOADER_MODULE} import StewardLabelClassifier

classifier = StewardLabelClassifier.from_folder(folder)
```"""
    return (
        f"The model's folder (`python manage.py export_model {name}@v{version.version} DIR` "
        "writes it; pushed to the Hugging Face Hub as is) holds this card, `model.safetensors`, "
        f"`config.json` and `{LOADER_MODULE}.py`. The loader needs neither Steward nor Django: "
        "it prepares the title and body as Steward does, computes the same features with "
        "Steward's own code and abstains below the same threshold. In that folder:\n\n"
        f"{snippet}\n\n"
        "From the Hugging Face Hub:\n\n"
        f"{hub}\n\n"
        "`suggest_issues([(title, body), …])` classifies many issues at once. The base model "
        "is downloaded from the Hub on first use; pass `base_model=` (a local folder or a loaded "
        "SentenceTransformer) to use a copy you have. The loader's docstring says every step."
    )


def reproducibility_markdown(version: ModelVersion) -> str:
    metrics = version.metrics or {}
    rows = [
        ["Training set sha256", code(version.training_sha256)],
        ["Training rows", str(version.training_rows)],
        ["Seed", cell(version.seed)],
        ["Cross-validation folds", cell(metrics.get("folds"))],
        ["Steward code version", code(version.code_version)],
        ["Base model", code(version.base_model_id)],
        [
            "Base model revision",
            code(version.base_model_revision),
        ],
    ]
    parts = [
        markdown_table(["Field", "Value"], rows),
        "The training-set sha256 is taken over the (prepared text, label) pairs in training "
        "order: a retraining on the same data gives the same hash, and with the same seed and "
        "code version the same weights.",
    ]
    if version.command:
        fence = "````" if "```" in version.command else "```"
        parts.append(
            f"The command that trains it again:\n\n{fence}shell\n{version.command}\n{fence}"
        )
    files = list(version.files.order_by("path"))
    if files:
        parts.append(
            markdown_table(
                ["File", "Size (bytes)", "sha256"],
                [[code(f.path), str(f.size), code(f.sha256)] for f in files],
            )
        )
    return "\n\n".join(parts)
