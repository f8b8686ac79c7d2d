"""Model hub tables: embeddings, the registry of trained model versions, triage results."""

from models_hub.models.benchmarks import Benchmark, BenchmarkResult, ResultSource
from models_hub.models.embeddings import Embedding, EmbeddingKind
from models_hub.models.registry import (
    CHAMPION,
    AliasEvent,
    ModelAlias,
    ModelFile,
    ModelKind,
    ModelTask,
    ModelVersion,
    RegisteredModel,
    TrainedVia,
)
from models_hub.models.replay import ChallengerReplay, ReplayStatus
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
    "CHAMPION",
    "AliasEvent",
    "Benchmark",
    "BenchmarkResult",
    "ChallengerReplay",
    "Embedding",
    "EmbeddingKind",
    "FeedbackDecision",
    "ModelAlias",
    "ModelFile",
    "ModelKind",
    "ModelTask",
    "ModelVersion",
    "Priority",
    "RegisteredModel",
    "ReplayStatus",
    "ResultSource",
    "SuggestionFeedback",
    "SuggestionKind",
    "TrainedVia",
    "TriageResult",
    "TriageSettings",
    "TriageSuggestion",
    "WriteBackStatus",
]
