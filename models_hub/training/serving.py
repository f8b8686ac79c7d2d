"""The label classifier production uses: the champion of the repository's model, loaded once per
process per weights file (keyed by sha256, so promoting another version takes effect on the next
call). A stored file whose bytes no longer match its sha256 is refused, not used."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.models import Repository
from models_hub.models import ModelKind, ModelVersion
from models_hub.registry.aliases import champion_for
from models_hub.registry.files import blob_local_path
from models_hub.registry.versions import weights_file

if TYPE_CHECKING:
    from models_hub.training.labels import LabelClassifier

_loaded: dict[str, LabelClassifier] = {}
_loaded_lock = threading.Lock()


@dataclass(frozen=True)
class ActiveLabelClassifier:
    version: ModelVersion
    classifier: LabelClassifier


def label_classifier_for(repository: Repository) -> ActiveLabelClassifier | None:
    """The repository's champion label classifier; None before one is trained."""
    version = champion_for(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
    if version is None:
        return None
    return ActiveLabelClassifier(version=version, classifier=label_classifier_of(version))


def label_classifier_of(version: ModelVersion) -> LabelClassifier:
    from models_hub.training.label_files import label_classifier_load

    with _loaded_lock:
        if version.sha256 not in _loaded:
            weights = weights_file(version)
            # Checked once per process: a file changed in the store is refused, not used.
            path = blob_local_path(key=weights.storage_key, sha256=weights.sha256)
            _loaded[version.sha256] = label_classifier_load(path=path)
        return _loaded[version.sha256]
