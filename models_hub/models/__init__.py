"""Model hub tables: embeddings, the registry of trained model versions, triage results."""

from models_hub.models.embeddings import Embedding, EmbeddingKind
from models_hub.models.registry import ModelKind, ModelVersion
from models_hub.models.triage import (
    FeedbackDecision,
    Priority,
    SuggestionFeedback,
    SuggestionKind,
    TriageResult,
    TriageSettings,
    TriageSuggestion,
    WriteBackStatus,
)

__all__ = [
    "Embedding",
    "EmbeddingKind",
    "FeedbackDecision",
    "ModelKind",
    "ModelVersion",
    "Priority",
    "SuggestionFeedback",
    "SuggestionKind",
    "TriageResult",
    "TriageSettings",
    "TriageSuggestion",
    "WriteBackStatus",
]
