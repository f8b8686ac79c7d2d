"""Writing a version's export folder: what `huggingface-cli upload` (or `git push` to a Hub
repository) takes as is.

- README.md: the model card (models_hub.cards), YAML front matter with the model-index;
- the version's stored files (model.safetensors, config.json…), each copied from the model
  store after checking its sha256: a corrupted stored file aborts the export, and the folder
  is written beside the target and renamed into place only when complete, so a failed export
  leaves nothing behind;
- `steward_label_classifier.py`: the standalone loader (standalone.py with Steward's own text
  preparation and feature code bundled in; no Django, no Steward), documented in its docstring
  and in the card's "How to use".
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models_hub.cards import card_markdown
from models_hub.export import LOADER_MODULE
from models_hub.export.bundle import module_bundle
from models_hub.models import ModelKind, ModelVersion
from models_hub.registry.files import ArtifactError, blob_copy_to
from models_hub.registry.versions import WEIGHTS, steward_code_version, weights_file

CARD_FILE = "README.md"
CONFIG_FILE = "config.json"
LOADER_FILE = f"{LOADER_MODULE}.py"


class ExportError(ValueError):
    """The version cannot be exported (says why); nothing was written."""


@dataclass(frozen=True)
class ExportedFolder:
    path: Path
    files: list[str]  # names in the folder


def model_version_export(
    *, version: ModelVersion, target: Path, overwrite: bool = False
) -> ExportedFolder:
    """Write the version's export folder at `target` (which must not exist or be empty, unless
    `overwrite`)."""
    if version.model.kind != ModelKind.LABEL_CLASSIFIER:
        raise ExportError(f"{version}: only label classifiers can be exported")
    target = Path(target).resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())) and not overwrite:
        raise ExportError(f"{target} exists and is not empty (use overwrite to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _write(version, staging)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ExportedFolder(path=target, files=sorted(p.name for p in target.iterdir()))


def _write(version: ModelVersion, folder: Path) -> None:
    weights_file(version)  # raises when the version has no weights
    for stored in version.files.all():
        if stored.path == CARD_FILE:
            continue  # regenerated below, with today's results and prose
        try:
            blob_copy_to(key=stored.storage_key, sha256=stored.sha256, target=folder / stored.path)
        except ArtifactError as error:
            raise ExportError(
                f"{version}: {stored.path} is damaged or missing in the model store ({error}); "
                "nothing was exported"
            ) from error
    if not (folder / CONFIG_FILE).exists():
        (folder / CONFIG_FILE).write_text(_config_of(folder / WEIGHTS), encoding="utf-8")
    (folder / CARD_FILE).write_text(card_markdown(version), encoding="utf-8")
    (folder / LOADER_FILE).write_text(loader_source(), encoding="utf-8")


def _config_of(weights: Path) -> str:
    """config.json for versions registered without one (it repeats the weights' metadata)."""
    from models_hub.training.label_files import label_classifier_config, label_classifier_load

    config = label_classifier_config(label_classifier_load(path=weights))
    return json.dumps(config, indent=2) + "\n"


@cache
def loader_source() -> str:
    """steward_label_classifier.py: standalone.py with Steward's code in place of its imports."""
    template = Path(__file__).with_name("standalone.py").read_text(encoding="utf-8")
    header = (
        "# ---- Steward's own code, copied by `manage.py export_model` from the modules named\n"
        f"# below (Steward {steward_code_version()}). Change it in Steward, not here: every\n"
        "# export writes this file anew. ----"
    )
    return module_bundle(template, header=header)
