"""A small model hub for the hub's page, API, query, quality and browser tests
(test_hub_*.py; owned with them).

- a public repository's label classifier with versions v1..vN (v2 the champion), evaluated with
  a precision-coverage curve and per-label scores, and an alias `staging` on the newest;
- a private repository's model with one version, and its result on the benchmark;
- a benchmark with a published baseline, a verified result of the public champion;
- optionally real files (safetensors via the registry) for downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.utils import timezone

from models_hub.models import (
    Benchmark,
    BenchmarkResult,
    ModelVersion,
    RegisteredModel,
    ResultSource,
    SuggestionFeedback,
    SuggestionKind,
)
from models_hub.registry.aliases import alias_move
from models_hub.registry.versions import WEIGHTS, Lineage, model_version_register
from tests.factories import (
    ActorFactory,
    IssueFactory,
    ModelVersionFactory,
    RegisteredModelFactory,
    RepositoryFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)

# Precision rises and coverage falls with the confidence threshold, sampled every 0.05; at the
# calibrated threshold 0.55 (index 11) labels cover 56% of issues and are right 78.33% of the time.
CURVE = [
    {"threshold": t / 20, "coverage": round(1 - t / 25, 4), "precision": round(0.6 + t / 60, 4)}
    for t in range(21)
]


def shifted_curve(shift: float) -> list[dict]:
    """CURVE with every precision moved by `shift` (another version's curve)."""
    return [{**p, "precision": round(min(1.0, p["precision"] + shift), 4)} for p in CURVE]


def evaluated_metrics(f1: float, *, curve_shift: float = 0.0) -> dict:
    """`ModelVersion.metrics` of a version evaluated by 5-fold cross-validation."""
    return {
        "evaluated": True,
        "macro_f1": f1,
        "accuracy": round(f1 + 0.03, 4),
        "coverage_at_90_precision": 0.42,
        "folds": 5,
        "samples": 240,
        "threshold": 0.55,
        "per_label": {
            "bug": {"precision": 0.9, "recall": 0.8, "f1": f1, "support": 120},
            "docs": {"precision": 0.7, "recall": 0.6, "f1": 0.65, "support": 120},
        },
        "curve": shifted_curve(curve_shift) if curve_shift else CURVE,
    }


@dataclass
class HubScenario:
    model: RegisteredModel
    versions: list[ModelVersion]
    champion: ModelVersion
    private_model: RegisteredModel
    private_version: ModelVersion
    benchmark: Benchmark

    @property
    def name(self) -> str:
        return self.model.name


def _benchmark(champion: ModelVersion, private_version: ModelVersion) -> Benchmark:
    benchmark = Benchmark.objects.create(
        name="issue-report-classification",
        title="NLBSE'24 issue report classification",
        dataset="nlbse24",
        metric_name="Macro F1",
        averaging="macro over bug, feature, question",
        protocol="train on the train split, score the test split",
        url="https://example.org/nlbse24",
        subsets=["acme/widgets", "acme/gadgets"],
    )
    now = timezone.now()
    BenchmarkResult.objects.create(
        benchmark=benchmark,
        entry="SetFit baseline",
        source=ResultSource.PUBLISHED,
        value=0.826,
        breakdown={"per_subset": {"acme/widgets": 0.81, "acme/gadgets": 0.84}},
        evaluated_at=now,
        reference="https://example.org/paper",
    )
    BenchmarkResult.objects.create(
        benchmark=benchmark,
        version=champion,
        entry=f"{champion.model.name} v{champion.version}",
        source=ResultSource.VERIFIED,
        value=0.79,
        breakdown={"per_subset": {"acme/widgets": 0.8, "acme/gadgets": 0.78}},
        coverage=0.5,
        evaluated_at=now,
        command="python manage.py benchmark_run issue-report-classification",
    )
    BenchmarkResult.objects.create(
        benchmark=benchmark,
        version=private_version,
        entry=f"{private_version.model.name} v1",
        source=ResultSource.VERIFIED,
        value=0.95,
        evaluated_at=now,
    )
    return benchmark


def build_hub(*, versions: int = 3) -> HubScenario:
    owner = ActorFactory(login="acme", organization=True)
    repository = RepositoryFactory(name="widgets", owner=owner)
    model = RegisteredModelFactory(
        repository=repository,
        description="Suggests acme/widgets' labels for new issues.",
        tags=["steward", "triage", "widgets-labels"],
    )
    made = [
        ModelVersionFactory(
            repository=repository,
            version=number,
            metrics=evaluated_metrics(
                round(0.6 + number / 100, 4), curve_shift=(number - 2) * 0.03
            ),
            hyperparameters={"method": "frozen", "epochs": number},
            training_rows=200 + number,
            training_label_counts={"bug": 120, "docs": 80 + number},
            command=f"python manage.py train triage-labels --repo {repository.full_name}",
            metadata={"threshold": 0.55, "labels": ["bug", "docs"]},
        )
        for number in range(1, versions + 1)
    ]
    champion = made[1] if len(made) > 1 else made[0]
    alias_move(version=champion, actor_label="test", reason="best so far")
    if len(made) > 2:
        alias_move(version=made[-1], alias="staging", actor_label="test", reason="trying it")
    private_repository = RepositoryFactory(name="secret", owner=owner, private=True)
    private_model = RegisteredModelFactory(
        repository=private_repository, description="Private widgets model", tags=["secret-tag"]
    )
    private_version = ModelVersionFactory(
        repository=private_repository, version=1, metrics=evaluated_metrics(0.99), is_active=True
    )
    benchmark = _benchmark(champion, private_version)
    return HubScenario(model, made, champion, private_model, private_version, benchmark)


def safetensors_file(folder: Path, *, seed: int = 0, name: str = WEIGHTS) -> Path:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    rng = np.random.default_rng(seed)
    save_file({"weight": rng.standard_normal((4, 3)).astype(np.float32)}, str(path))
    return path


def register_with_files(
    model: RegisteredModel, folder: Path, *, seed: int = 0, f1: float = 0.7
) -> ModelVersion:
    """A version with real stored files: weights and a config.json."""
    weights = safetensors_file(folder / f"w{seed}", seed=seed)
    config = folder / f"w{seed}" / "config.json"
    config.write_text('{"labels": ["bug", "docs"]}')
    version, _ = model_version_register(
        model=model,
        files={WEIGHTS: weights, "config.json": config},
        lineage=Lineage(base_model_id="m", training_rows=8, trained_via="cli"),
        metrics=evaluated_metrics(f1),
    )
    return version


def triage_decisions(
    version: ModelVersion, *, accepted: int, rejected: int, undecided: int = 0, abstained: int = 0
) -> None:
    """Issues triaged by `version`: one label suggestion each, accepted, rejected or undecided
    by a maintainer, and `abstained` issues it suggested no label for. Each decided issue also
    has a decided duplicate suggestion, which is no label decision."""
    repository = version.model.repository
    decisions = ["accepted"] * accepted + ["rejected"] * rejected + [None] * undecided
    for decision in decisions:
        result = TriageResultFactory(issue=IssueFactory(repository=repository), label_model=version)
        suggestion = TriageSuggestionFactory(result=result, kind=SuggestionKind.LABEL, value="bug")
        other = TriageSuggestionFactory(result=result, kind=SuggestionKind.DUPLICATE, value="#1")
        for decided, verdict in ((other, "accepted"), (suggestion, decision)):
            if verdict:
                SuggestionFeedback.objects.create(
                    suggestion=decided,
                    issue=result.issue,
                    kind=decided.kind,
                    value=decided.value,
                    decision=verdict,
                    decided_at=timezone.now(),
                )
    for _ in range(abstained):
        TriageResultFactory(
            issue=IssueFactory(repository=repository), label_model=version, labels_abstained=True
        )
